"""The desk: the Qt window the clinic keeps open all day. It calls the services and holds no clinic rule."""
from decomp_desk.ui.qt_refcount_guard import guard_singletons

guard_singletons()  # before any Qt call of the desk (see the module's note)
