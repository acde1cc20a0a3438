import { computed } from 'vue'
import { useRoute } from 'vue-router'
import { useSessionStore } from '@/stores/session'

/** The community of the staff page being shown, from the route. */
export function useStaffCommunity() {
  const route = useRoute()
  const session = useSessionStore()
  const cid = computed(() => Number(route.params.cid))
  const name = computed(
    () => session.staffMemberships.find((m) => m.community.id === cid.value)?.community.name ?? '',
  )
  return { cid, name }
}
