"""Map a whole archive: ``run_batch(inputs, site)`` writes one map per article, an index page,
a corpus map and a GeoParquet table of every mention, on local cores or on a Dask cluster.
"""

from storymap.batch.inputs import Job, expand
from storymap.batch.run import BatchReport, run_batch

__all__ = ["BatchReport", "Job", "expand", "run_batch"]
