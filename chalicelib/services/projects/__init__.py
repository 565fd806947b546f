"""Public works projects (QlueWork), one concern per module:

* ``commands``: register a project, report progress, record a disbursement
  (each decided by ``domain.projects``, applied by ``store.projects``);
* ``audits``: the citizen reports that audit a project;
* ``flag_sweep``: the red flags that move with the calendar;
* ``files``: presigned uploads of progress photos and contract documents,
  and the stable links to them;
* ``queries``: a project, a region's list, its budget totals;
* ``views``: the reply models;
* ``ocds``: the OCDS release package;
* ``clock``: the region's calendar day.
"""
