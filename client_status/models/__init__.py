from . import client_status
from . import client_status_history
from . import client_status_mixin
from . import res_partner
from . import crm_lead
from . import ir_fields_converter
