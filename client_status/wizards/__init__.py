from . import client_status_archive
