// What the home grid and the tab bar offer. A new feature adds one line to each list.
import type { Me } from '@/api/types'
import { useNoticesStore } from '@/stores/notices'
import { usePollsStore } from '@/stores/polls'

export interface Feature {
  key: string
  icon: string
  to: string
  titleKey: string
  visible?: (me: Me) => boolean
  /** A count on the tab (read when the tab bar renders). */
  badge?: () => number | string | undefined
}

function noticesBadge(): number | string | undefined {
  const notices = useNoticesStore()
  notices.start()
  return notices.badge
}

function pollsBadge(): number | string | undefined {
  const polls = usePollsStore()
  polls.start()
  return polls.badge
}

const isStaff = (me: Me) => me.memberships.some((m) => m.role === 'staff')

export const features: Feature[] = [
  { key: 'notices', icon: 'bullhorn-o', to: '/notices', titleKey: 'notices.title', badge: noticesBadge },
  { key: 'polls', icon: 'todo-list-o', to: '/polls', titleKey: 'voting.title', badge: pollsBadge },
  { key: 'guide', icon: 'guide-o', to: '/guide', titleKey: 'guide.title' },
  { key: 'facilities', icon: 'location-o', to: '/facilities', titleKey: 'facilities.title' },
  { key: 'contacts', icon: 'phone-o', to: '/contacts', titleKey: 'contacts.title' },
  { key: 'questions', icon: 'question-o', to: '/questions', titleKey: 'consult.title' },
  { key: 'volunteer', icon: 'like-o', to: '/volunteer', titleKey: 'volunteering.title' },
  { key: 'market', icon: 'shop-o', to: '/market', titleKey: 'market.title' },
  { key: 'bookings', icon: 'calendar-o', to: '/bookings', titleKey: 'bookings.title' },
  { key: 'services', icon: 'phone-circle-o', to: '/services', titleKey: 'services.title' },
  { key: 'me', icon: 'user-o', to: '/me', titleKey: 'nav.me' },
  { key: 'staff', icon: 'manager-o', to: '/staff', titleKey: 'nav.staff', visible: isStaff },
]

export const tabs: Feature[] = [
  { key: 'home', icon: 'wap-home-o', to: '/', titleKey: 'nav.home' },
  { key: 'notices', icon: 'bullhorn-o', to: '/notices', titleKey: 'nav.notices', badge: noticesBadge },
  { key: 'me', icon: 'user-o', to: '/me', titleKey: 'nav.me' },
]

export function visibleFor(list: Feature[], me: Me | null): Feature[] {
  return list.filter((f) => !f.visible || (me !== null && f.visible(me)))
}
