"""Reading Python source: bytes to text (``source``), the two parsers with
their guards (``parsing``; libcst imported on first use, ``lazy``), the
top-level statements worth a libcst parse (``segments``) and the comments
that silence findings (``noqa``)."""
