"""As torch.func, the function transforms' companion for modules: functional_call (see nn.utils.stateless). The
transforms themselves are the engine's: ag.grad, ag.vjp, ag.jvp, ag.jacobian, ag.hessian, ag.hvp, ag.vhp, ag.vmap."""
from .utils.stateless import functional_call

__all__ = ["functional_call"]
