from licensing.audit.services import record

__all__ = ["record"]
