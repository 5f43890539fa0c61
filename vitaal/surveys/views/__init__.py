"""Views of the surveys app: anonymous respondent pages (``respond``) and researcher
pages (``research``)."""
