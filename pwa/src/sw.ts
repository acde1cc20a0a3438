/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core'
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'
import { onNotificationClick, onPush, onPushSubscriptionChange } from './sw-push'

declare let self: ServiceWorkerGlobalScope

// The app shell: every built asset, so the app opens with no network.
precacheAndRoute(self.__WB_MANIFEST)
cleanupOutdatedCaches()

// History-mode routes open the cached shell; the API is never answered from here.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/'), { denylist: [/^\/api\//] }))

// A new version waits until the user accepts the update prompt.
self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') self.skipWaiting()
})
clientsClaim()

self.addEventListener('push', onPush)
self.addEventListener('notificationclick', onNotificationClick)
self.addEventListener('pushsubscriptionchange', onPushSubscriptionChange)
