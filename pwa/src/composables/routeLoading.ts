import { readonly, ref, type Ref } from 'vue'
import { START_LOCATION, type RouteLocationNormalized, type Router } from 'vue-router'

/** A quick navigation shows nothing: a skeleton that flashes for a moment is worse than none. */
export const ROUTE_LOADING_DELAY_MS = 200

/**
 * True while a navigation has waited longer than `delay` for its guards and its screen's code, and from
 * the start while the first one runs (nothing but the page's placeholder is on screen behind it).
 * Call it before adding any other guard, so the wait it measures includes theirs.
 */
export function trackRouteLoading(router: Router, delay = ROUTE_LOADING_DELAY_MS): Readonly<Ref<boolean>> {
  const loading = ref(router.currentRoute.value === START_LOCATION)
  let timer: ReturnType<typeof setTimeout> | undefined
  // A navigation that a newer one replaced still ends: only the newest one may hide the skeleton.
  let newest: RouteLocationNormalized | null = null

  const finish = (to: RouteLocationNormalized) => {
    if (to !== newest) return
    clearTimeout(timer)
    timer = undefined
    newest = null
    loading.value = false
  }
  router.beforeEach((to) => {
    newest = to
    if (!loading.value && timer === undefined) timer = setTimeout(() => (loading.value = true), delay)
  })
  router.afterEach(finish)
  router.onError((error, to) => {
    finish(to)
    console.error(error) // a listener takes the place of the router's own logging of the error
  })
  return readonly(loading)
}
