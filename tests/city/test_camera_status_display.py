"""A camera whose file source reached its end says "File ended" in a neutral badge, not a
red "Offline"; a stream that could not be opened stays red."""
import pytest
from django.urls import reverse

from verticals.city.models import Camera

pytestmark = pytest.mark.django_db


def test_file_ended_is_neutral_and_a_broken_stream_stays_red(orgs, users, client):
    ended = Camera.objects.create(organisation=orgs["a"], code="ended", name="Ended", source="/v/a.avi",
                                  status=Camera.Status.OFFLINE, status_message="end of file after 300 frames")
    broken = Camera.objects.create(organisation=orgs["a"], code="broken", name="Broken", source="rtsp://x",
                                   status=Camera.Status.OFFLINE, status_message="no frame within 10 s")
    client.force_login(users["a_viewer"])
    html = client.get(reverse("city:cameras")).content.decode()
    row = html.split('data-camera="ended"')[1].split("</tr>")[0]
    assert '<span class="badge stopped" data-status="file_ended">File ended</span>' in row
    row = html.split('data-camera="broken"')[1].split("</tr>")[0]
    assert '<span class="badge bad" data-status="offline">Offline</span>' in row
    detail = client.get(reverse("city:camera", args=[ended.pk])).content.decode()
    assert 'data-status="file_ended">File ended<' in detail
    assert Camera.objects.get(pk=broken.pk).status == "offline"
