"""A region's boundaries: uploads (``uploads``) and the files of each version
(``files``)."""
