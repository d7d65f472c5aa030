"""ag.linalg.LinAlgError: NumPy's np.linalg.LinAlgError (a ValueError) that is also a RuntimeError, as torch.linalg's
errors are (torch.linalg.LinAlgError): a Gaussian process's jitter loop written for PyTorch, `except RuntimeError:`
around a Cholesky factorisation, catches it, and code written for NumPy still catches np.linalg.LinAlgError."""
import functools

import numpy as np


class LinAlgError(np.linalg.LinAlgError, RuntimeError):
    """A factorisation or solve that failed on its input's values (not positive definite, singular, no convergence),
    or input that is not a stack of matrices.

    >>> import numpy as np, autograd_core as ag
    >>> issubclass(ag.linalg.LinAlgError, np.linalg.LinAlgError), issubclass(ag.linalg.LinAlgError, RuntimeError)
    (True, True)
    """


def raising_linalg_error(forward):
    """forward (a primitive's, calling np.linalg), its np.linalg.LinAlgError raised as LinAlgError, message kept."""
    @functools.wraps(forward)
    def checked(*args, **kwargs):
        try:
            return forward(*args, **kwargs)
        except np.linalg.LinAlgError as err:
            if isinstance(err, LinAlgError):
                raise
            raise LinAlgError(*err.args) from None
    return checked
