from . import client_status_archive
from . import client_status_reclassify_preview
