from . import client_status_rule_condition
from . import res_partner
from . import sale_order
