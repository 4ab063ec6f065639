//! Yew's `use_state`, `use_reducer` and `use_effect_with` for both Wasm apps, with values,
//! actions and closures boxed. Yew's hook code is generic over each state's type and each
//! effect's closure, so it would otherwise be compiled once per state and per effect: 6 KB
//! gzip of the widgets' Wasm. Import these in place of Yew's; the calls read the same, and
//! `clippy.toml` refuses Yew's own everywhere but here.

use std::any::Any;
use std::marker::PhantomData;
use std::ops::Deref;
use std::rc::Rc;

use yew::functional::{
    Hook, HookContext, Reducible, TearDown, UseReducerDispatcher, UseReducerHandle, UseStateHandle,
};

/// An effect's dependencies of whatever type, compared by a function made for that type.
struct AnyDeps {
    value: Box<dyn Any>,
    same: fn(&dyn Any, &dyn Any) -> bool,
}

impl PartialEq for AnyDeps {
    fn eq(&self, other: &Self) -> bool {
        (self.same)(&*self.value, &*other.value)
    }
}

fn same<T: PartialEq + 'static>(left: &dyn Any, right: &dyn Any) -> bool {
    left.downcast_ref::<T>() == right.downcast_ref::<T>()
}

/// An effect behind one type, whatever its closure.
type AnyEffect = Box<dyn FnOnce(&AnyDeps) -> Box<dyn FnOnce()>>;

/// Yew's `use_effect_with`, with the dependencies and the effect boxed: Yew's effect code
/// is then compiled once for every effect in the app, not once per effect closure.
pub fn use_effect_with<T, D>(
    deps: T,
    effect: impl FnOnce(&T) -> D + 'static,
) -> impl Hook<Output = ()>
where
    T: PartialEq + 'static,
    D: TearDown,
{
    let effect: AnyEffect = Box::new(move |deps: &AnyDeps| {
        let teardown = deps.value.downcast_ref::<T>().map(effect);
        Box::new(move || teardown.map_or((), TearDown::tear_down))
    });
    let deps = AnyDeps {
        value: Box::new(deps),
        same: same::<T>,
    };
    // The one call of Yew's own: the workspace's clippy.toml refuses it everywhere else.
    #[allow(clippy::disallowed_methods)]
    yew::functional::use_effect_with(deps, effect)
}

/// A state value of whatever type, as Yew stores it for [`use_state`].
type AnyValue = Rc<dyn Any>;

/// The state [`use_state`] gives: the value of this render, and a way to set the next.
pub struct StateHandle<T> {
    value: AnyValue,
    inner: UseStateHandle<AnyValue>,
    kind: PhantomData<T>,
}

impl<T> Clone for StateHandle<T> {
    fn clone(&self) -> Self {
        StateHandle {
            value: self.value.clone(),
            inner: self.inner.clone(),
            kind: PhantomData,
        }
    }
}

impl<T: 'static> Deref for StateHandle<T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.value
            .downcast_ref::<T>()
            .expect("a state holds the type it was made with")
    }
}

impl<T: 'static> StateHandle<T> {
    /// Sets the value and draws the component again.
    pub fn set(&self, value: T) {
        self.inner.set(Rc::new(value));
    }
}

/// The hook behind [`use_state`].
struct UseState<'init, T> {
    init: Box<dyn FnOnce() -> AnyValue + 'init>,
    kind: PhantomData<T>,
}

impl<T: 'static> Hook for UseState<'_, T> {
    type Output = StateHandle<T>;

    fn run(self, context: &mut HookContext) -> StateHandle<T> {
        // The one call of Yew's own: the workspace's clippy.toml refuses it everywhere else.
        #[allow(clippy::disallowed_methods)]
        let inner = yew::functional::use_state(self.init).run(context);
        StateHandle {
            value: (*inner).clone(),
            inner,
            kind: PhantomData,
        }
    }
}

/// Yew's `use_state`, with the value boxed: Yew's state code is then compiled once for
/// every state in the app, not once per type of value.
pub fn use_state<'init, T: 'static>(
    init: impl FnOnce() -> T + 'init,
) -> impl Hook<Output = StateHandle<T>> + 'init {
    UseState {
        init: Box::new(move || Rc::new(init())),
        kind: PhantomData,
    }
}

/// A reducer's state of whatever type, as Yew stores it for [`use_reducer`]; each action
/// carries the typed reduce it stands for.
struct AnyState(AnyValue);

/// An action of whatever reducer, ready to apply to its state.
type AnyAction = Box<dyn FnOnce(AnyValue) -> AnyValue>;

impl Reducible for AnyState {
    type Action = AnyAction;

    fn reduce(self: Rc<Self>, action: AnyAction) -> Rc<Self> {
        Rc::new(AnyState(action(self.0.clone())))
    }
}

/// `action` as the boxed reduce of a `T`.
fn any_action<T: Reducible + 'static>(action: T::Action) -> AnyAction
where
    T::Action: 'static,
{
    Box::new(move |state: AnyValue| -> AnyValue {
        let state = Rc::downcast::<T>(state).expect("a reducer holds the type it was made with");
        T::reduce(state, action)
    })
}

/// The state [`use_reducer`] gives: its value now (as Yew's, the latest one, even in a
/// callback made at an earlier render), and a way to change it.
pub struct ReducerHandle<T> {
    inner: UseReducerHandle<AnyState>,
    kind: PhantomData<T>,
}

impl<T> Clone for ReducerHandle<T> {
    fn clone(&self) -> Self {
        ReducerHandle {
            inner: self.inner.clone(),
            kind: PhantomData,
        }
    }
}

impl<T: 'static> Deref for ReducerHandle<T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.inner
            .0
            .downcast_ref::<T>()
            .expect("a reducer holds the type it was made with")
    }
}

impl<T: Reducible + 'static> ReducerHandle<T>
where
    T::Action: 'static,
{
    /// Applies `action` to the state now and draws the component again.
    pub fn dispatch(&self, action: T::Action) {
        self.inner.dispatch(any_action::<T>(action));
    }

    /// A way to dispatch that holds no value, for code that only changes the state.
    pub fn dispatcher(&self) -> ReducerDispatcher<T> {
        ReducerDispatcher {
            inner: self.inner.dispatcher(),
            kind: PhantomData,
        }
    }
}

/// Dispatches to a [`use_reducer`] state, as Yew's `UseReducerDispatcher`.
pub struct ReducerDispatcher<T> {
    inner: UseReducerDispatcher<AnyState>,
    kind: PhantomData<T>,
}

impl<T> Clone for ReducerDispatcher<T> {
    fn clone(&self) -> Self {
        ReducerDispatcher {
            inner: self.inner.clone(),
            kind: PhantomData,
        }
    }
}

impl<T: Reducible + 'static> ReducerDispatcher<T>
where
    T::Action: 'static,
{
    /// Applies `action` to the state now and draws the component again.
    pub fn dispatch(&self, action: T::Action) {
        self.inner.dispatch(any_action::<T>(action));
    }
}

/// The hook behind [`use_reducer`].
struct UseReducer<'init, T> {
    init: Box<dyn FnOnce() -> AnyState + 'init>,
    kind: PhantomData<T>,
}

impl<T: 'static> Hook for UseReducer<'_, T> {
    type Output = ReducerHandle<T>;

    fn run(self, context: &mut HookContext) -> ReducerHandle<T> {
        // The one call of Yew's own: the workspace's clippy.toml refuses it everywhere else.
        #[allow(clippy::disallowed_methods)]
        let inner = yew::functional::use_reducer(self.init).run(context);
        ReducerHandle {
            inner,
            kind: PhantomData,
        }
    }
}

/// Yew's `use_reducer`, with the state and its actions boxed: Yew's reducer code is then
/// compiled once for every reducer in the app, not once per type of state.
pub fn use_reducer<'init, T: Reducible + 'static>(
    init: impl FnOnce() -> T + 'init,
) -> impl Hook<Output = ReducerHandle<T>> + 'init {
    UseReducer {
        init: Box::new(move || AnyState(Rc::new(init()))),
        kind: PhantomData,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deps<T: PartialEq + 'static>(value: T) -> AnyDeps {
        AnyDeps {
            value: Box::new(value),
            same: same::<T>,
        }
    }

    #[test]
    fn an_effect_runs_again_only_when_its_dependencies_change() {
        assert!(deps((String::from("site"), 1_u32)) == deps((String::from("site"), 1_u32)));
        assert!(deps((String::from("site"), 1_u32)) != deps((String::from("site"), 2_u32)));
        assert!(deps(Some(3)) != deps(None::<i32>));
        assert!(deps(()) == deps(()));
    }

    #[test]
    fn dependencies_of_different_types_never_compare_equal() {
        assert!(deps(0_u32) != deps(0_u64));
    }

    struct Tally(u32);

    impl Reducible for Tally {
        type Action = u32;

        fn reduce(self: Rc<Self>, added: u32) -> Rc<Self> {
            Rc::new(Tally(self.0 + added))
        }
    }

    #[test]
    fn a_boxed_action_applies_its_type_s_reduce_to_the_state() {
        let state = Rc::new(AnyState(Rc::new(Tally(1))));
        let state = state.reduce(any_action::<Tally>(2));
        let state = state.reduce(any_action::<Tally>(4));
        assert_eq!(
            state.0.downcast_ref::<Tally>().map(|tally| tally.0),
            Some(7)
        );
    }
}
