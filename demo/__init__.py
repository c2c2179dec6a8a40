"""The InterSpiN demo data (``manage.py load_interspin``).

This package sits on top of every app: it drives the application and budget services the way
real users would, so it may import them; nothing imports it.
"""
