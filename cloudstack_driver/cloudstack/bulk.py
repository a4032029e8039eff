"""Many jobs at once: start async operations without waiting (``ex_wait=False``), then wait on
all of them with one ``listAsyncJobs`` round per poll.

::

    handles = [driver.create_node(f"web-{i}", size, image, zone, ex_wait=False)
               for i in range(100)]
    for outcome in driver.wait_for_jobs(handles, timeout=900):
        print(outcome)          # a CloudStackNode, or the LibcloudError its job ended with

    nodes = driver.create_nodes([{"name": f"web-{i}", "size": size, "image": image}
                                 for i in range(100)])
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from typing import Any

from cloudstack_driver import errors
from cloudstack_driver.cloudstack.host import DriverHost, JobHandle

__all__ = ["BulkMixin", "JobHandle"]


def _with_index(exc: Exception, index: int) -> Exception:
    """``exc`` again (same class when it can be rebuilt from a message, else its builtin
    base), its message prefixed with the spec it came from."""
    text = f"create_nodes(): specs[{index}]: {exc}"
    try:
        return type(exc)(text)
    except TypeError:
        return (TypeError if isinstance(exc, TypeError) else ValueError)(text)


class BulkMixin(DriverHost):
    """``wait_for_jobs`` and ``create_nodes`` (``ex_wait=False`` itself is
    :meth:`DriverHost._job`)."""

    def wait_for_jobs(self, handles: Iterable[JobHandle], timeout: float | None = None
                      ) -> list[Any]:
        """Wait for every job of ``handles``: one ``listAsyncJobs`` call per poll round for
        all of them (``queryAsyncJobResult`` only for jobs the listing does not show), polls
        starting soon and backing off (``poll_first``, ``poll_backoff``, ``poll_interval``).

        Returns, in the order of ``handles``, what each waiting method returns (a
        ``CloudStackNode`` for ``create_node``, ``True`` for ``destroy_node`` ...), or the
        ``LibcloudError`` its job ended with: an ``AsyncJobError`` (failed or cancelled, with
        ``jobid``), an ``AsyncJobTimeoutError`` (still running after ``timeout`` seconds,
        default ``connection.job_timeout``; wait on its ``jobid`` again). Nothing is raised
        for one job's failure.
        """
        items = list(handles)
        for i, handle in enumerate(items):
            if not isinstance(handle, JobHandle):
                raise TypeError(f"wait_for_jobs(): 'handles[{i}]' must be a JobHandle, got "
                                f"{type(handle).__name__}")
        outcomes = self.connection.wait_for_jobs([h.jobid for h in items], timeout=timeout)
        results: list[Any] = []
        for handle in items:
            outcome = outcomes[handle.jobid]
            if isinstance(outcome, errors.AsyncJobTimeoutError) and outcome.entity_id is None:
                outcome = type(outcome)(
                    handle.jobid, timeout=outcome.timeout, command=handle.command,
                    entity_id=handle.entity_id, driver=self)
            elif isinstance(outcome, errors.LibcloudError) and getattr(
                    outcome, "command", "") is None:
                outcome.command = handle.command  # type: ignore[attr-defined]
            if isinstance(outcome, errors.AsyncJobError) and outcome.entity_id is None:
                outcome.entity_id = handle.entity_id
            results.append(outcome if isinstance(outcome, errors.LibcloudError)
                           else handle.result_of(outcome))
        return results

    def _deploy_params(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The checked ``deployVirtualMachine`` parameters of ``create_node``'s arguments
        (implemented by the core)."""
        raise NotImplementedError

    def create_nodes(self, specs: Iterable[Mapping[str, Any]], *,
                     timeout: float | None = None) -> list[Any]:
        """Create many nodes at once: each spec holds ``create_node``'s arguments by name
        (``{"name": ..., "size": ..., "image": ..., "location": ...}``). Every spec is checked
        before anything is sent (``TypeError``/``ValueError`` naming ``specs[i]``); then one
        ``deployVirtualMachine`` per spec (not waiting), then :meth:`wait_for_jobs`.

        Returns, in order, a ``CloudStackNode`` or the ``LibcloudError`` of each (a deploy the
        server refused at once included). ``timeout`` bounds the wait for all of them.
        """
        handles = [self._submit_deploy(params) for params in self._checked_specs(specs)]
        return self._finish_nodes(handles, timeout)

    def _checked_specs(self, specs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Each spec's ``deployVirtualMachine`` parameters; raises naming ``specs[i]``."""
        signature = inspect.signature(self._deploy_params)
        checked: list[dict[str, Any]] = []
        for i, spec in enumerate(specs):
            if not isinstance(spec, Mapping):
                raise TypeError(f"create_nodes(): 'specs[{i}]' must be a mapping of "
                                f"create_node arguments, got {type(spec).__name__}")
            try:
                bound = signature.bind(**spec)
            except TypeError as exc:
                raise TypeError(f"create_nodes(): specs[{i}]: {exc}") from None
            try:
                checked.append(self._deploy_params(*bound.args, **bound.kwargs))
            except (TypeError, ValueError) as exc:
                raise _with_index(exc, i) from exc
        return checked

    def _submit_deploy(self, params: dict[str, Any]) -> JobHandle | errors.LibcloudError:
        """Send one checked deploy without waiting: its handle, or the error it was refused
        with."""
        try:
            handle: JobHandle = self._job("deployVirtualMachine", params, self._node_from_job,
                                          False)
        except errors.LibcloudError as exc:
            return exc
        return handle

    def _finish_nodes(self, handles: list[JobHandle | errors.LibcloudError],
                      timeout: float | None) -> list[Any]:
        """Wait for the handles' jobs; the refusals stay in their places."""
        waiting = [h for h in handles if isinstance(h, JobHandle)]
        done = iter(self.wait_for_jobs(waiting, timeout=timeout))
        return [next(done) if isinstance(h, JobHandle) else h for h in handles]

    def _node_from_job(self, result: dict[str, Any]) -> Any:
        """A deploy job's result as a node (implemented by the core)."""
        raise NotImplementedError
