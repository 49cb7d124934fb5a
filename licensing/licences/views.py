from flask import Blueprint

bp = Blueprint("licences", __name__)

# (endpoint, menu text, roles that see it) for the service navigation.
NAV_ITEMS: list = []
