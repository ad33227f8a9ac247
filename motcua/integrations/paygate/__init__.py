"""A VNPay-like payment gateway: the signing rules (``signing``), our HTTP client (``client``) and a
simulator that is a real HTTP server (``simulator``; ``testing`` holds its pytest fixture)."""
