"""Runs Rasa's prediction graph (NLU pipeline, policies) node by node, without dask.

Rasa 3.6 runs the graph three times per message or more (parsing, then once per predicted action)
through `DaskGraphRunner`, which on every run recomputes the needed nodes recursively
(`GraphSchema.minimal_graph_schema`), builds a dask graph and hands it to dask's scheduler.
At 10 concurrent conversations that bookkeeping took about a tenth of the server's CPU time
(docs/performance.md). The graph never changes once loaded, so the order of the nodes each set
of targets needs is computed once; the nodes themselves (`GraphNode`) are called exactly as dask
calls them: each with the `(name, output)` pairs of the nodes it needs, in the order of its
`needs`, and a placeholder that nothing provides is passed as its bare name.
"""
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner


class SequentialGraphRunner(DaskGraphRunner):
    """DaskGraphRunner's nodes, inputs and results, run in a fixed topological order."""

    def run(self, inputs: Optional[Dict[Text, Any]] = None, targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
        run_targets = list(targets) if targets else self._graph_schema.target_names
        nodes = self._graph_schema.nodes
        order = self._order(tuple(run_targets))
        results: Dict[Text, Any] = {}
        known = set(order)  # as in Rasa's runner: the needed nodes and the inputs added before
        for name, value in (inputs or {}).items():
            if isinstance(value, str) and value in known:
                raise GraphRunError(
                    f"Input value '{value}' clashes with a node name. Make sure that none of the "
                    f"input names passed to the `run` method are the same as node names in the graph schema.")
            results[name] = (name, value)
            known.add(name)
        try:
            for name in order:
                if name in results:  # an input named like a node replaces it, as in dask
                    continue
                arguments = [results.get(need, need) for need in nodes[name].needs.values()]
                results[name] = self._instantiated_nodes[name](*arguments)
        except RuntimeError as e:
            raise GraphRunError("Error running runner.") from e
        return dict(results[target] for target in run_targets)

    def _order(self, targets: Tuple[Text, ...]) -> List[Text]:
        """The nodes the targets need, each after the nodes it needs (cached per targets)."""
        cache = self.__dict__.setdefault("_orders", {})
        if targets not in cache:
            nodes, order, seen = self._graph_schema.nodes, [], set()

            def visit(name: Text) -> None:
                if name in seen or name not in nodes:  # not a node: an input placeholder
                    return
                seen.add(name)
                for need in nodes[name].needs.values():
                    visit(need)
                order.append(name)

            for target in targets:
                visit(target)
            cache[targets] = order
        return cache[targets]
