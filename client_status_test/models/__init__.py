from . import client_status
from . import client_status_duration
from . import client_status_history
from . import client_status_rule
from . import client_status_run
from . import client_status_test_record
from . import client_status_transition
from . import res_company
