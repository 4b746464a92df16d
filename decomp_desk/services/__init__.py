"""Services: one unit of work per user action; they enforce the rules and return plain data.

The desk and the command line call these and nothing below them."""
