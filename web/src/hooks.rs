//! Yew's `use_state` and `use_effect_with` for both Wasm apps, with values and closures
//! boxed. Yew's hook code is generic over each state's type and each effect's closure, so
//! it would otherwise be compiled once per state and per effect: 6 KB gzip of the widgets'
//! Wasm. Import these in place of Yew's; the calls read the same, and `clippy.toml` refuses
//! Yew's own everywhere but here.

use std::any::Any;
use std::marker::PhantomData;
use std::ops::Deref;
use std::rc::Rc;

use yew::functional::{Hook, HookContext, TearDown, UseStateHandle};

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
    value: Rc<T>,
    inner: UseStateHandle<AnyValue>,
}

impl<T> Clone for StateHandle<T> {
    fn clone(&self) -> Self {
        StateHandle {
            value: self.value.clone(),
            inner: self.inner.clone(),
        }
    }
}

impl<T> Deref for StateHandle<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
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
    value: PhantomData<T>,
}

impl<T: 'static> Hook for UseState<'_, T> {
    type Output = StateHandle<T>;

    fn run(self, context: &mut HookContext) -> StateHandle<T> {
        // The one call of Yew's own: the workspace's clippy.toml refuses it everywhere else.
        #[allow(clippy::disallowed_methods)]
        let inner = yew::functional::use_state(self.init).run(context);
        let value =
            Rc::downcast::<T>((*inner).clone()).expect("a state holds the type it was made with");
        StateHandle { value, inner }
    }
}

/// Yew's `use_state`, with the value boxed: Yew's state code is then compiled once for
/// every state in the app, not once per type of value.
pub fn use_state<'init, T: 'static>(
    init: impl FnOnce() -> T + 'init,
) -> impl Hook<Output = StateHandle<T>> + 'init {
    UseState {
        init: Box::new(move || Rc::new(init())),
        value: PhantomData,
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
}
