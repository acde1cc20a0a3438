import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { setToastDefaultOptions, type ToastOptions } from 'vant'
import 'vant/es/toast/style'
import 'vant/es/dialog/style'
import './styles/main.css'
import App from './App.vue'
import { i18n } from './i18n'
import { router } from './router'
import { usePrefsStore } from './stores/prefs'
import { startServiceWorker } from './composables/useServiceWorker'
import { afterPaint } from './composables/afterPaint'
import { nameDialogs } from './composables/a11y'

// A toast is a status message, not a dialog: screen readers announce it without moving focus.
setToastDefaultOptions({ role: 'status', 'aria-live': 'polite' } as ToastOptions)

const app = createApp(App)
app.use(createPinia())
app.use(i18n)
usePrefsStore().apply()
app.use(router)
app.mount('#app')
nameDialogs()
// Once the first screen is up: its code and data come first on a slow network.
router.isReady().then(() => afterPaint(startServiceWorker), () => afterPaint(startServiceWorker))
