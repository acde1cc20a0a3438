import { computed } from 'vue'
import { useSessionStore } from '@/stores/session'
import { useStaffCommunity } from '@/composables/useStaffCommunity'

/** The staff page's community and its time zone: its days and slot times are read on that clock. */
export function useStaffZone() {
  const { cid, name } = useStaffCommunity()
  const session = useSessionStore()
  const zone = computed(() => session.staffMemberships.find((m) => m.community.id === cid.value)?.community.timezone || 'Asia/Shanghai')
  return { cid, name, zone }
}
