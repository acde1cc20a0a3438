import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent } from 'vue'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import { ROUTE_LOADING_DELAY_MS, trackRouteLoading } from '@/composables/routeLoading'

const Page = defineComponent({ render: () => null })

/** A screen whose code arrives when the test says so. */
function lazyScreen() {
  let arrive!: () => void
  let fail!: (err: Error) => void
  const code = new Promise<typeof Page>((resolve, reject) => {
    arrive = () => resolve(Page)
    fail = reject
  })
  return { component: () => code, arrive, fail }
}

function makeRouter(screens: Record<string, ReturnType<typeof lazyScreen>>): Router {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: Page },
      ...Object.entries(screens).map(([path, s]) => ({ path, component: s.component })),
    ],
  })
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('trackRouteLoading', () => {
  it('shows from the start while the first navigation runs', async () => {
    const router = makeRouter({})
    const loading = trackRouteLoading(router)
    expect(loading.value).toBe(true)
    await router.push('/')
    expect(loading.value).toBe(false)
  })

  it('shows nothing for a navigation quicker than the delay', async () => {
    const notices = lazyScreen()
    const router = makeRouter({ '/notices': notices })
    const loading = trackRouteLoading(router)
    await router.push('/')
    const done = router.push('/notices')
    await vi.advanceTimersByTimeAsync(ROUTE_LOADING_DELAY_MS - 50)
    notices.arrive()
    await done
    await vi.advanceTimersByTimeAsync(ROUTE_LOADING_DELAY_MS)
    expect(loading.value).toBe(false)
  })

  it('shows after the delay while a screen is slow to load, until it is there', async () => {
    const guide = lazyScreen()
    const router = makeRouter({ '/guide': guide })
    const loading = trackRouteLoading(router)
    await router.push('/')
    const done = router.push('/guide')
    await vi.advanceTimersByTimeAsync(ROUTE_LOADING_DELAY_MS - 1)
    expect(loading.value).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(loading.value).toBe(true)
    guide.arrive()
    await done
    expect(loading.value).toBe(false)
    expect(router.currentRoute.value.path).toBe('/guide')
  })

  it('keeps showing when a slow navigation is replaced by another that is still loading', async () => {
    const guide = lazyScreen()
    const notices = lazyScreen()
    const router = makeRouter({ '/guide': guide, '/notices': notices })
    const loading = trackRouteLoading(router)
    await router.push('/')
    const first = router.push('/guide')
    await vi.advanceTimersByTimeAsync(ROUTE_LOADING_DELAY_MS)
    const second = router.push('/notices')
    guide.arrive()
    await first // ends as cancelled
    expect(loading.value).toBe(true)
    notices.arrive()
    await second
    expect(loading.value).toBe(false)
    expect(router.currentRoute.value.path).toBe('/notices')
  })

  it('stops showing when a screen cannot be loaded', async () => {
    const guide = lazyScreen()
    const router = makeRouter({ '/guide': guide })
    const loading = trackRouteLoading(router)
    await router.push('/')
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const done = router.push('/guide')
    await vi.advanceTimersByTimeAsync(ROUTE_LOADING_DELAY_MS)
    expect(loading.value).toBe(true)
    guide.fail(new Error('Failed to fetch dynamically imported module'))
    await expect(done).rejects.toThrow('Failed to fetch')
    expect(loading.value).toBe(false)
    expect(logged).toHaveBeenCalledOnce()
    logged.mockRestore()
    expect(router.currentRoute.value.path).toBe('/')
  })
})
