from . import test_client_status_engine
