"""The doors of toc: reading untrusted input (`inputs`), placing findings in it (`positions`),
escaping text for each output (`escape`) and writing files atomically (`files`).

Everything else reads and writes through these modules; they import nothing else of toc but
`toc.errors`.
"""
