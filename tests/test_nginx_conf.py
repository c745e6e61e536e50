"""deploy/render_nginx.py: the nginx.conf it renders, checked by nginx itself."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.contrib.staticfiles import finders

from deploy.render_nginx import render
from tests.network import free_port

# `make test` installs nginx (Debian's package); openssl comes with the system.
NGINX = shutil.which("nginx", path="/usr/sbin:/usr/bin:/sbin:/bin") or "nginx"
OPENSSL = shutil.which("openssl") or "openssl"


def plain(tmp_path) -> str:
    return render(
        listen="127.0.0.1:8779",
        upstreams=["127.0.0.1:8771", "127.0.0.1:8772"],
        run_dir=tmp_path,
    )


def nginx_accepts(tmp_path, text: str) -> None:
    conf = tmp_path / "nginx.conf"
    conf.write_text(text)
    result = subprocess.run([NGINX, "-t", "-c", str(conf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_it_puts_every_node_in_the_upstream_and_fails_over(tmp_path):
    text = plain(tmp_path)

    assert "server 127.0.0.1:8771 max_fails=1" in text
    assert "server 127.0.0.1:8772 max_fails=1" in text
    assert "proxy_next_upstream error timeout;" in text
    assert "proxy_next_upstream error timeout non_idempotent" not in text


def test_it_passes_the_client_the_scheme_and_the_request_id(tmp_path):
    text = plain(tmp_path)

    assert "X-Forwarded-For $proxy_add_x_forwarded_for;" in text
    assert "X-Forwarded-Proto $scheme;" in text
    assert "X-Request-ID $request_id;" in text


def test_it_serves_static_and_protected_media_from_the_apps_roots(tmp_path, settings):
    text = plain(tmp_path)

    assert f"alias {settings.STATIC_ROOT.resolve()}/;" in text
    assert "gzip_static on;" in text
    assert "immutable" in text
    media = text.split("location /protected-media/ {")[1].split("}")[0]
    assert "internal;" in media
    assert f"alias {settings.MEDIA_ROOT.resolve()}/;" in media


def test_it_takes_bodies_as_large_as_the_app_does(tmp_path, settings):
    settings.PHOTO_MAX_BYTES = 10 * 1024 * 1024
    settings.PHOTO_MAX_PER_ENTRY = 3
    settings.ARCHIVE_MAX_BYTES = 100 * 1024 * 1024

    text = plain(tmp_path)

    assert "client_max_body_size 31744k;" in text  # 3 × 10 MiB and 1 MiB for the form
    assert "client_max_body_size 103424k;" in text


def test_without_tls_it_serves_plain_http(tmp_path):
    text = plain(tmp_path)

    assert "listen 127.0.0.1:8779;" in text
    assert "ssl" not in text


def tls(tmp_path) -> str:
    return render(
        listen="80",
        https_listen="443",
        upstreams=["127.0.0.1:8771"],
        run_dir=tmp_path,
        tls_certificate="/etc/ssl/yearloop.pem",
        tls_key="/etc/ssl/yearloop.key",
    )


def test_a_node_that_does_not_answer_gets_the_sites_own_page(tmp_path, settings):
    text = plain(tmp_path)

    assert "error_page 502 503 504 /_errors/50x.html;" in text
    assert f"alias {settings.STATIC_ROOT.resolve()}/errors/50x.html;" in text
    page = Path(finders.find("errors/50x.html")).read_text()
    assert "may or may not have been saved" in page
    assert '<p lang="ko">' in page


def test_plain_http_answers_lets_encrypts_challenges(tmp_path):
    for text in (plain(tmp_path), tls(tmp_path)):
        assert "location /.well-known/acme-challenge/ {\n            root /var/www/acme;" in text


def test_with_tls_plain_http_only_redirects(tmp_path):
    text = tls(tmp_path)

    assert "return 301 https://$host$request_uri;" in text
    assert "listen 443 ssl http2;" in text
    assert "ssl_certificate /etc/ssl/yearloop.pem;" in text
    assert text.count("location /protected-media/") == 1  # only in the HTTPS server


def test_nginx_accepts_the_plain_configuration(tmp_path):
    nginx_accepts(tmp_path, plain(tmp_path))


def test_nginx_accepts_the_tls_configuration(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    command = [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    subprocess.run(
        [*command, "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    text = render(
        listen="127.0.0.1:8778",
        https_listen="127.0.0.1:8779",
        upstreams=["127.0.0.1:8771"],
        run_dir=tmp_path,
        tls_certificate=str(cert),
        tls_key=str(key),
    )

    nginx_accepts(tmp_path, text)


def test_nginx_answers_with_the_sites_page_when_no_node_answers(tmp_path, settings):
    # Both nodes are ports nothing listens on; the static root holds the collected page.
    settings.STATIC_ROOT = tmp_path / "static"
    (settings.STATIC_ROOT / "errors").mkdir(parents=True)
    shutil.copy(finders.find("errors/50x.html"), settings.STATIC_ROOT / "errors")
    port, dead = free_port(), [f"127.0.0.1:{free_port()}", f"127.0.0.1:{free_port()}"]
    conf = tmp_path / "nginx.conf"
    # Workers as this user, who can read the test's folders (nginx's own default, nobody,
    # cannot).
    user = pwd.getpwuid(os.geteuid()).pw_name if os.geteuid() == 0 else ""
    conf.write_text(render(listen=f"127.0.0.1:{port}", upstreams=dead, run_dir=tmp_path, user=user))
    nginx = subprocess.Popen([NGINX, "-c", str(conf), "-g", "daemon off;"])
    try:
        answer = fetch_when_listening(f"http://127.0.0.1:{port}/@demo/2026/comments/", post=True)
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)

    assert answer.status == 502
    body = answer.read().decode()
    assert "Yearloop could not answer just now" in body
    assert "may or may not have been saved" in body


def fetch_when_listening(url: str, *, post: bool):
    request = urllib.request.Request(url, data=b"body=hello" if post else None)
    for _attempt in range(50):
        try:
            return urllib.request.urlopen(request, timeout=5)
        except urllib.error.HTTPError as answer:
            return answer
        except urllib.error.URLError:
            time.sleep(0.1)  # nginx still starting
    raise AssertionError(f"nothing listened at {url}")
