"""Date formats per language (``FORMAT_MODULE_PATH``): one style for pages, messages and
workbook text. Django's own locale formats fill in everything not set here (numbers, input
formats)."""
