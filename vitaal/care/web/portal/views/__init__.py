"""Views of the employee portal, one module per part."""
