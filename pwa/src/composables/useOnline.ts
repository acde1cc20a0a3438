import { ref } from 'vue'

const online = ref(typeof navigator === 'undefined' ? true : navigator.onLine)

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => (online.value = true))
  window.addEventListener('offline', () => (online.value = false))
}

export function markOffline(): void {
  online.value = false
}

export function markOnline(): void {
  online.value = true
}

export function useOnline() {
  return online
}
