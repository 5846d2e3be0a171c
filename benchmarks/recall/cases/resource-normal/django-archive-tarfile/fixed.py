"""Management command: write database fixtures and uploaded media to a tarball."""
import os
import tarfile
from datetime import datetime
from io import BytesIO, StringIO

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create a compressed archive of database tables and uploaded media."

    def handle(self, *args, **kwargs):
        filename = "{}.tar.bz2".format(datetime.today().strftime("%Y-%m-%d--%H-%M-%S"))
        with tarfile.open(filename, "w:bz2") as tar:
            self._dump_db(tar)
            self._dump_media(tar)
        self.stdout.write("Backup completed: {}".format(filename))

    def _dump_db(self, tar):
        for app in apps.get_app_configs():
            for model in app.get_models():
                label = model._meta.label
                buf = StringIO()
                call_command("dumpdata", label, format="json", stdout=buf)
                data = buf.getvalue().encode("utf-8")
                info = tarfile.TarInfo("data/{}.json".format(label))
                info.size = len(data)
                tar.addfile(info, BytesIO(data))

    def _dump_media(self, tar):
        media_root = getattr(settings, "MEDIA_ROOT", "")
        if media_root and os.path.isdir(media_root):
            tar.add(media_root, arcname="media")
