from . import client_status_job_wizard
from . import base_partner_merge
from . import client_status_archive
from . import client_status_clarify
from . import client_status_preset
from . import client_status_preset_line
from . import client_status_reclassify_preview
from . import mail_compose_message
