"""Photos through the API: the pages' pipeline and limits, retries, and what readers see."""

from __future__ import annotations

import pytest

from planner.models import Photo, Visibility
from tests.factory import image_upload, make_entry, make_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(owner):
    return make_entry(make_year(owner, year=2025, visibility=Visibility.PUBLIC))


def upload(api, entry, **kwargs):
    headers = kwargs.pop("headers", None)
    data = {"image": kwargs.pop("image", None) or image_upload(), **kwargs}
    return api.call("POST", f"/entries/{entry.pk}/photos", data, content_type=None, headers=headers)


def test_a_photo_is_resized_and_stripped_as_on_the_page(owner_api, entry):
    response = upload(owner_api, entry, image=image_upload("big.jpg", size=(4000, 3000)))
    assert response.status_code == 201
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (1600, 1200)  # the pipeline's widest
    assert response.json()["width"] == 1600
    assert photo.renditions  # the WebP renditions the page shows


def test_a_photo_over_the_size_limit_is_refused(owner_api, entry, settings):
    settings.PHOTO_MAX_BYTES = 500
    response = upload(owner_api, entry, image=image_upload(size=(400, 300)))
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["image"]
    assert not Photo.objects.exists()


def test_an_entry_holds_no_more_photos_than_the_limit(owner_api, entry, settings):
    settings.PHOTO_MAX_PER_ENTRY = 1
    assert upload(owner_api, entry).status_code == 201
    refused = upload(owner_api, entry)
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"]["images"]
    assert Photo.objects.count() == 1


def test_a_retried_upload_stores_one_photo(owner_api, entry):
    key = {"Idempotency-Key": "photo-upload-from-phone-1"}
    first = upload(owner_api, entry, headers=key)
    again = upload(owner_api, entry, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Photo.objects.count() == 1


def test_a_change_through_the_api_shows_on_the_cached_post(owner_api, entry, client, settings):
    settings.POST_CACHE_SECONDS = 3600
    url = entry.period.year.get_absolute_url()
    assert "At the bridge" not in client.get(url).content.decode()  # now kept in the cache
    photo = upload(owner_api, entry, caption="At the bridge").json()
    assert "At the bridge" in client.get(url).content.decode()
    owner_api.patch(f"/photos/{photo['id']}", {"caption": "Under the bridge"})
    assert "Under the bridge" in client.get(url).content.decode()
    owner_api.patch(f"/entries/{entry.pk}", {"is_private": True})
    assert "Under the bridge" not in client.get(url).content.decode()
