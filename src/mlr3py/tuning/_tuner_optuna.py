"""Tuning with any optuna sampler through optuna's ask-and-tell interface.

optuna proposes, mlr3py evaluates: each batch asks the study for
``batch_size`` trials, lets each trial suggest a point of the search space
(:class:`~mlr3py.tuning._optuna_space.OptunaSpace`: logscale parameters as
optuna's log distributions, factors and logicals as categoricals, only active
parameters), evaluates the batch with ``instance.eval_batch`` (one
``benchmark()`` through the active plan) and tells the study each score, in
the measure's direction. Several measures make a multi-objective study.

A second ``optimize()`` of the same tuner on the same instance (after raising
the terminator's budget) goes on with the study of the first: the sampler's
random stream continues, so 20 evaluations and then 20 more propose what one
call of 40 proposes. Otherwise (another tuner, or an archive the study does not
know) a new study is told the configurations and scores already in the
instance's archive (``study.add_trial``); a sampler built by name is seeded
from the instance's random stream after the archived batches, and a copy of a
user's sampler instance is reseeded (``reseed_rng()``, optuna's own way of
giving a copied sampler a new stream), so that the continued search does not
propose the first call's points again.

optuna is an optional dependency (``pip install mlr3py[tune]``), imported
when a tuner optimises.
"""

from __future__ import annotations

import copy
import math
import warnings
import weakref
from typing import TYPE_CHECKING, Any

from mlr3py.errors import ConfigError
from mlr3py.params import Design, p_int, p_uty, ps
from mlr3py.tuning._optuna_space import OptunaSpace
from mlr3py.tuning._tuner import Tuner, mlr_tuners

if TYPE_CHECKING:
    import optuna

    from mlr3py.tuning._instance import TuningInstance

__all__ = ["SAMPLERS", "TunerOptuna", "import_optuna"]

#: sampler names -> optuna sampler classes (in ``optuna.samplers``)
SAMPLERS = {
    "tpe": "TPESampler",
    "cmaes": "CmaEsSampler",
    "gp": "GPSampler",
    "random": "RandomSampler",
    "qmc": "QMCSampler",
    "nsgaii": "NSGAIISampler",
}


def import_optuna() -> Any:
    """Import optuna, or raise a ConfigError saying how to install it."""
    try:
        import optuna
    except ImportError as exc:
        raise ConfigError(
            "Tuner 'optuna' needs the optuna package, which is not installed. "
            "Install it with `pip install mlr3py[tune]` (or `pip install optuna`)."
        ) from exc
    return optuna


def _check_sampler(value: Any) -> bool | str:
    if isinstance(value, str):
        if value in SAMPLERS:
            return True
        return f"one of {sorted(SAMPLERS)} or an optuna sampler instance"
    if callable(getattr(value, "sample_independent", None)):
        return True
    return f"one of {sorted(SAMPLERS)} or an optuna sampler instance such as TPESampler(seed=1)"


class TunerOptuna(Tuner):
    """Tune with an optuna sampler (TPE, CMA-ES, GP, random, QMC, NSGA-II, ...).

    Parameters (``tnr("optuna", sampler="tpe", batch_size=1)``)
    ------------------------------------------------------------
    sampler : str or optuna.samplers.BaseSampler, default "tpe"
        A name (``"tpe"``, ``"cmaes"``, ``"gp"``, ``"random"``, ``"qmc"``,
        ``"nsgaii"``), built with a seed drawn from the instance's random stream
        (so ``tune(..., seed=1)`` proposes the same points every time; ``"qmc"``
        is scrambled, so that the seed matters), or a sampler instance, used as
        given (a copy of it, so that tuning two instances with the same tuner
        proposes the same points).
    batch_size : int, default 1
        Trials asked and evaluated together (one ``benchmark()``, parallel
        under a ``processes`` plan).

    Attributes
    ----------
    study : optuna.Study or None
        The study of the last :meth:`optimize` (for optuna's visualisations); a
        further :meth:`optimize` on the same instance continues it. A clone or a
        pickled copy of the tuner starts a new study.

    Examples
    --------
    >>> from mlr3py import lrn, tsk, rsmp, msr
    >>> from mlr3py.params import to_tune
    >>> from mlr3py.tuning import tnr, tune
    >>> learner = lrn("classif.rpart", ccp_alpha=to_tune(1e-4, 0.1, logscale=True))
    >>> instance = tune(tnr("optuna", sampler="tpe"), tsk("sonar"), learner,
    ...                 rsmp("cv", folds=3), msr("classif.ce"), term_evals=20, seed=1)
    ...                 # doctest: +SKIP
    """

    def __init__(self) -> None:
        import_optuna()  # fail early, with how to install it
        param_set = ps(
            sampler=p_uty(custom_check=_check_sampler, default="tpe", init="tpe"),
            batch_size=p_int(1, default=1, init=1, tags="required"),
        )
        super().__init__(
            id="optuna",
            param_set=param_set,
            param_classes=("ParamLgl", "ParamInt", "ParamDbl", "ParamFct"),
            properties=("dependencies", "single-crit", "multi-crit"),
            label="Optuna",
            packages=("optuna",),
        )
        self.study: optuna.Study | None = None
        # the instance whose search self.study holds (weak: the tuner must not keep it alive)
        self._study_of: weakref.ref[TuningInstance] | None = None

    def __getstate__(self) -> dict[str, Any]:
        # a weak reference cannot be copied or pickled; a copy continues no study
        state = self.__dict__.copy()
        state["_study_of"] = None
        return state

    def _check_instance(self, instance: TuningInstance) -> None:
        OptunaSpace(instance.search_space, context=f"Tuner '{self.id}'")

    def _optimize(self, instance: TuningInstance) -> None:
        optuna = import_optuna()
        values = self._values()
        batch_size = int(values.get("batch_size", 1))
        space = OptunaSpace(instance.search_space, context=f"Tuner '{self.id}'")
        verbosity = optuna.logging.get_verbosity()
        optuna.logging.set_verbosity(optuna.logging.WARNING)  # mlr3py's logger reports batches
        try:
            study = self._continued_study(instance)
            if study is None:
                study = self._new_study(optuna, values.get("sampler", "tpe"), space, instance)
            self.study = study
            self._study_of = weakref.ref(instance)
            self._ask_and_tell(optuna, study, space, instance, batch_size)
        finally:
            optuna.logging.set_verbosity(verbosity)

    def _continued_study(self, instance: TuningInstance) -> Any:
        """The study of this tuner's last search on ``instance``, if it holds exactly the
        archive's evaluations (an interrupted batch leaves trials the archive lacks)."""
        if self.study is None or self._study_of is None or self._study_of() is not instance:
            return None
        if len(self.study.trials) != instance.archive.n_evals:
            return None
        return self.study

    def _new_study(self, optuna: Any, sampler: Any, space: OptunaSpace,
                   instance: TuningInstance) -> Any:
        """A study told the instance's archive, with a sampler whose random stream does
        not repeat the draws that made the archive."""
        built = self._sampler(optuna, sampler, instance)
        if not isinstance(sampler, str) and instance.archive.n_evals > 0:
            built.reseed_rng()  # the copy would otherwise replay the first call's draws
        directions = ["minimize" if m.minimize else "maximize" for m in instance.measures]
        if len(directions) > 1 and isinstance(built, optuna.samplers.CmaEsSampler):
            ids = ", ".join(f"'{m.id}'" for m in instance.measures)
            raise ConfigError(
                f"The CMA-ES sampler of Tuner 'optuna' optimizes one measure; got {ids}. Use "
                "a sampler for several objectives (sampler='tpe', 'nsgaii', 'gp' or "
                "'random') or one measure."
            )
        study = optuna.create_study(sampler=built, directions=directions)
        self._tell_archive(optuna, study, space, instance)
        return study

    @staticmethod
    def _tell_archive(optuna: Any, study: Any, space: OptunaSpace,
                      instance: TuningInstance) -> None:
        """Add the archive's evaluations to a new study, so that an instance optimized
        again continues its search rather than starting over."""
        archive = instance.archive
        if archive.n_evals == 0:
            return
        data = archive.data
        points = Design(instance.search_space, data[archive.cols_x]).transpose(trafo=False)
        scores = data[archive.cols_y].to_numpy(dtype=float).tolist()
        for point, values in zip(points, scores, strict=True):
            study.add_trial(space.known_trial(optuna, point, values))

    def _ask_and_tell(self, optuna: Any, study: Any, space: OptunaSpace,
                      instance: TuningInstance, batch_size: int) -> None:
        measure_ids = [m.id for m in instance.measures]
        # asking only while the terminator has not fired keeps the study to the evaluated trials
        while not instance.is_terminated:
            trials = [study.ask() for _ in range(batch_size)]
            xs = [space.suggest(trial) for trial in trials]
            scores_of = instance.eval_batch(xs)[measure_ids].to_numpy(dtype=float).tolist()
            for trial, scores in zip(trials, scores_of, strict=True):
                if any(math.isnan(v) for v in scores):
                    study.tell(trial, state=optuna.trial.TrialState.FAIL)
                else:
                    study.tell(trial, scores if len(scores) > 1 else scores[0])

    def _sampler(self, optuna: Any, sampler: Any, instance: TuningInstance) -> Any:
        if not isinstance(sampler, str):
            return copy.deepcopy(sampler)
        seed = int(instance.tuner_rng().integers(0, 2**31 - 1))
        if sampler == "cmaes":
            try:
                import cmaes  # noqa: F401
            except ImportError as exc:
                raise ConfigError(
                    "The 'cmaes' sampler of Tuner 'optuna' needs the cmaes package. Install it "
                    "with `pip install mlr3py[tune]` (or `pip install cmaes`)."
                ) from exc
        kwargs: dict[str, Any] = {"seed": seed}
        if sampler in ("cmaes", "gp", "qmc"):
            # a sampler chosen by name samples what it cannot model at random, quietly
            kwargs["warn_independent_sampling"] = False
        if sampler == "qmc":
            kwargs["scramble"] = True  # without scrambling the seed would change nothing
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            return getattr(optuna.samplers, SAMPLERS[sampler])(**kwargs)


mlr_tuners.add("optuna", TunerOptuna)
