"""Render deploy/nginx.conf.template into a whole nginx.conf, with ports, paths and limits.

Paths (STATIC_ROOT, MEDIA_ROOT) and upload limits are read from the app's settings, so run
it with the app's environment. On loopback, as `make cluster` does:

    uv run python deploy/render_nginx.py --listen 127.0.0.1:8770 \\
        --upstream 127.0.0.1:8771 --upstream 127.0.0.1:8772 --run-dir var/nginx > nginx.conf

In production, with TLS (plain HTTP then only redirects):

    uv run python deploy/render_nginx.py --listen 80 --https-listen 443 \\
        --server-name yearloop.example --user www-data \\
        --tls-certificate /etc/letsencrypt/live/yearloop.example/fullchain.pem \\
        --tls-key /etc/letsencrypt/live/yearloop.example/privkey.pem \\
        --upstream 127.0.0.1:8001 --upstream 127.0.0.1:8002 \\
        --run-dir /var/lib/yearloop-nginx --pid-file /run/nginx.pid --log-dir /var/log/nginx \\
        > /etc/nginx/nginx.conf

Check the result with `nginx -t -c <file>`.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
MEBIBYTE = 1024 * 1024


def kibibytes(size: int) -> str:
    return f"{math.ceil(size / 1024)}k"


def render(
    *,
    listen: str,
    upstreams: list[str],
    run_dir: Path,
    log_dir: Path | None = None,
    server_name: str = "_",
    user: str = "",
    worker_processes: int = 1,
    tls_certificate: str = "",
    tls_key: str = "",
    https_listen: str = "443",
    mime_types: str = "/etc/nginx/mime.types",
    pid_file: Path | None = None,
    acme_root: str = "/var/www/acme",
) -> str:
    """The nginx.conf text; the app's settings give the static and media roots and limits."""
    from django.conf import settings
    from django.template import Context, Engine

    if bool(tls_certificate) != bool(tls_key):
        raise ValueError("TLS needs both a certificate and its key.")
    if not upstreams:
        raise ValueError("Name at least one app node (--upstream host:port).")
    # A batch of photos for one entry (sent without JavaScript) or an avatar, plus the form.
    largest_upload = max(
        settings.PHOTO_MAX_BYTES * settings.PHOTO_MAX_PER_ENTRY, settings.AVATAR_MAX_BYTES
    )
    values = {
        "listen": listen,
        "http_listen": listen,
        "https_listen": https_listen,
        "upstreams": upstreams,
        "run_dir": str(run_dir),
        "pid_file": str(pid_file or run_dir / "nginx.pid"),
        "acme_root": acme_root,
        "log_dir": str(log_dir or run_dir),
        "server_name": server_name,
        "user": user,
        "worker_processes": str(worker_processes),
        "tls": bool(tls_certificate),
        "tls_certificate": tls_certificate,
        "tls_key": tls_key,
        "mime_types": mime_types,
        "static_root": str(Path(settings.STATIC_ROOT).resolve()),
        "media_root": str(Path(settings.MEDIA_ROOT).resolve()),
        "max_body": kibibytes(largest_upload + MEBIBYTE),
        "import_max_body": kibibytes(settings.ARCHIVE_MAX_BYTES + MEBIBYTE),
    }
    engine = Engine(autoescape=False)
    return engine.from_string(TEMPLATE.read_text()).render(Context(values))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--listen", required=True, help="plain HTTP: port or host:port")
    parser.add_argument(
        "--upstream", action="append", required=True, help="an app node's host:port (repeat)"
    )
    parser.add_argument("--run-dir", type=Path, required=True, help="pid file and temp files")
    parser.add_argument("--log-dir", type=Path, help="logs (default: the run directory)")
    parser.add_argument("--server-name", default="_")
    parser.add_argument("--user", default="", help="the workers' user when started as root")
    parser.add_argument("--workers", type=int, default=1, help="nginx worker processes")
    parser.add_argument("--tls-certificate", default="", help="certificate chain (PEM)")
    parser.add_argument("--tls-key", default="", help="the certificate's private key (PEM)")
    parser.add_argument("--https-listen", default="443")
    parser.add_argument("--mime-types", default="/etc/nginx/mime.types")
    parser.add_argument(
        "--pid-file",
        type=Path,
        help="default: in the run directory; Debian's service: /run/nginx.pid",
    )
    parser.add_argument(
        "--acme-root",
        default="/var/www/acme",
        help="where certbot --webroot writes its HTTP-01 challenges (served on plain HTTP)",
    )
    args = parser.parse_args()
    args.run_dir.mkdir(parents=True, exist_ok=True)  # nginx -t needs it before it starts

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yearloop.settings")
    try:
        text = render(
            listen=args.listen,
            upstreams=args.upstream,
            run_dir=args.run_dir.resolve(),
            log_dir=args.log_dir.resolve() if args.log_dir else None,
            server_name=args.server_name,
            user=args.user,
            worker_processes=args.workers,
            tls_certificate=args.tls_certificate,
            tls_key=args.tls_key,
            https_listen=args.https_listen,
            mime_types=args.mime_types,
            pid_file=args.pid_file.resolve() if args.pid_file else None,
            acme_root=args.acme_root,
        )
    except ValueError as error:
        parser.error(str(error))
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
