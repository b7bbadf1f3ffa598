"""The 360Giving reader and record mapper pinned down further on tiny hand-made files (issue 14)."""
