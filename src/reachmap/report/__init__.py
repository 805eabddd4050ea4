"""The report: scenario files, maps and the self-contained HTML (an interface layer).

:mod:`~reachmap.report.projection` puts envelopes, areas and outlines into map frames;
:mod:`~reachmap.report.maps` draws them with matplotlib.
"""
