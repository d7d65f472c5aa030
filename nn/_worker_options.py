"""DataLoader's options for worker processes (PyTorch's num_workers, pin_memory, worker_init_fn, timeout,
multiprocessing_context, prefetch_factor, persistent_workers, in_order, pin_memory_device): checked as PyTorch checks
them, with no effect, since batches are sliced from NumPy arrays in this process."""
import multiprocessing
import multiprocessing.context

from ._arguments import as_flag, checked_number


def check_worker_options(num_workers, pin_memory, worker_init_fn, timeout, multiprocessing_context, prefetch_factor,
                         persistent_workers, in_order, pin_memory_device=""):
    """Refuse what PyTorch's DataLoader refuses (ValueError, TypeError), naming the option and what is valid; and a
    pin_memory_device that is no device name, index or None (PyTorch's, deprecated there, ignores whatever it gets)."""
    num_workers = checked_number(num_workers, "DataLoader", "num_workers", low=0, integer=True)
    as_flag(pin_memory, "DataLoader", "pin_memory")
    device = pin_memory_device
    if not (device is None or isinstance(device, (str, int))) or isinstance(device, bool):
        raise TypeError(f"DataLoader: pin_memory_device must be a device name (text, such as 'cpu'; '' or None for "
                        f"none) or index, got {type(device).__name__}")
    as_flag(in_order, "DataLoader", "in_order")
    if worker_init_fn is not None and not callable(worker_init_fn):
        raise TypeError(f"DataLoader: worker_init_fn must be None or a function of the worker id, got "
                        f"{type(worker_init_fn).__name__}")
    checked_number(timeout, "DataLoader", "timeout", low=0, what="a number of seconds >= 0 (timeout option should be "
                   "non-negative)")
    single = "; with num_workers=0 (this process) leave it at its default"
    if multiprocessing_context is not None:
        if num_workers == 0:
            raise ValueError(f"DataLoader: multiprocessing_context can only be used with multi-process loading "
                             f"(num_workers > 0), but got num_workers={num_workers}{single}")
        methods = multiprocessing.get_all_start_methods()
        if isinstance(multiprocessing_context, str):
            if multiprocessing_context not in methods:
                raise ValueError(f"DataLoader: multiprocessing_context should specify a valid start method in "
                                 f"{methods}, but got {multiprocessing_context!r}")
        elif not isinstance(multiprocessing_context, multiprocessing.context.BaseContext):
            raise TypeError(f"DataLoader: multiprocessing_context option should be a valid context object or a "
                            f"string specifying the start method, but got {type(multiprocessing_context).__name__}")
    if prefetch_factor is not None:
        if num_workers == 0:
            raise ValueError(f"DataLoader: prefetch_factor option could only be specified in multiprocessing "
                             f"(num_workers > 0){single} (None)")
        checked_number(prefetch_factor, "DataLoader", "prefetch_factor", low=0, integer=True)
    if as_flag(persistent_workers, "DataLoader", "persistent_workers") and num_workers == 0:
        raise ValueError("DataLoader: persistent_workers option needs num_workers > 0" + single + " (False)")


def get_worker_info():
    """PyTorch's torch.utils.data.get_worker_info: inside a DataLoader worker process, its id, the count of workers
    and its copy of the dataset; None in the main process. Batches are made in this process here (num_workers changes
    nothing), so it is always None, and an IterableDataset that splits its stream among workers (PyTorch's documented
    `if worker_info is None:` pattern) takes its single-process branch, as PyTorch's with num_workers=0.

    >>> from nn.data import get_worker_info
    >>> get_worker_info() is None
    True
    """
    return None
