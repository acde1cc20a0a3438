import { createRouter, createWebHistory, START_LOCATION, type RouteRecordRaw } from 'vue-router'
import { setUnauthorizedHandler } from '@/api/client'
import { guestCommunityId } from '@/composables/useGuide'
import { useSessionStore } from '@/stores/session'
import { loadMessages } from '@/i18n'
import { screenNamespaces } from '@/i18n/screens'
import { trackRouteLoading } from '@/composables/routeLoading'
import { loadScreenData } from '@/composables/screenData'

declare module 'vue-router' {
  interface RouteMeta {
    title?: string
    tab?: boolean
    guest?: boolean
    bare?: boolean
    staff?: boolean
    /** For the deployment's administrators only. */
    admin?: boolean
    /** Public information a visitor may read without an account. */
    open?: boolean
    /** Needs neither an account nor a chosen community (a paper slip's QR code carries its own). */
    anyone?: boolean
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/', component: () => import('@/views/home/HomeView.vue'), meta: { title: 'app.name', tab: true } },
  { path: '/login', component: () => import('@/views/auth/LoginView.vue'), meta: { title: 'nav.login', guest: true, bare: true } },
  { path: '/reset-password', component: () => import('@/views/auth/ResetPasswordView.vue'), meta: { title: 'reset.title', guest: true } },
  { path: '/browse', component: () => import('@/views/auth/BrowseView.vue'), meta: { title: 'browse.title', guest: true } },
  { path: '/register', component: () => import('@/views/auth/RegisterView.vue'), meta: { title: 'nav.register', guest: true } },
  { path: '/me', component: () => import('@/views/me/MeView.vue'), meta: { title: 'nav.me', tab: true } },
  { path: '/me/password', component: () => import('@/views/me/PasswordView.vue'), meta: { title: 'nav.password' } },
  { path: '/me/homes/new', component: () => import('@/views/me/AddHomeView.vue'), meta: { title: 'addHome.title' } },
  { path: '/staff', component: () => import('@/views/staff/StaffView.vue'), meta: { title: 'nav.staff', staff: true } },
  {
    path: '/staff/:cid/pending',
    component: () => import('@/views/staff/PendingView.vue'),
    meta: { title: 'nav.pending', staff: true },
  },
  {
    path: '/staff/:cid/residents',
    component: () => import('@/views/staff/ResidentsView.vue'),
    meta: { title: 'nav.residents', staff: true },
  },
  {
    path: '/staff/:cid/invites',
    component: () => import('@/views/staff/InvitesView.vue'),
    meta: { title: 'nav.invites', staff: true },
  },
  {
    path: '/staff/:cid/invites/:id',
    component: () => import('@/views/staff/InviteView.vue'),
    meta: { title: 'nav.invite', staff: true },
  },
  {
    path: '/staff/:cid/import',
    component: () => import('@/views/staff/ImportView.vue'),
    meta: { title: 'nav.import', staff: true },
  },
  {
    path: '/staff/:cid/facilities',
    component: () => import('@/views/facilities/staff/StaffFacilitiesView.vue'),
    meta: { title: 'facilityStaff.manage', staff: true },
  },
  {
    path: '/staff/:cid/facilities/types',
    component: () => import('@/views/facilities/staff/FacilityTypesView.vue'),
    meta: { title: 'facilityStaff.types', staff: true },
  },
  {
    path: '/staff/:cid/facilities/new',
    component: () => import('@/views/facilities/staff/FacilityEditView.vue'),
    meta: { title: 'facilityStaff.add', staff: true },
  },
  {
    path: '/staff/:cid/facilities/:id/edit',
    component: () => import('@/views/facilities/staff/FacilityEditView.vue'),
    meta: { title: 'facilityStaff.edit', staff: true },
  },
  { path: '/guide', component: () => import('@/views/guide/GuideHomeView.vue'), meta: { title: 'guide.title', open: true } },
  {
    path: '/guide/categories/:id',
    component: () => import('@/views/guide/GuideCategoryView.vue'),
    meta: { title: 'guide.category', open: true },
  },
  { path: '/guide/items/:id', component: () => import('@/views/guide/GuideItemView.vue'), meta: { title: 'guide.item', open: true } },
  {
    path: '/staff/:cid/guide',
    component: () => import('@/views/guide/staff/GuideStaffView.vue'),
    meta: { title: 'guide.staff.manage', staff: true },
  },
  {
    path: '/staff/:cid/guide/new',
    component: () => import('@/views/guide/staff/GuideEditView.vue'),
    meta: { title: 'guide.staff.newItem', staff: true },
  },
  {
    path: '/staff/:cid/guide/categories',
    component: () => import('@/views/guide/staff/GuideCategoriesView.vue'),
    meta: { title: 'guide.staff.categories', staff: true },
  },
  {
    path: '/staff/:cid/guide/transfer',
    component: () => import('@/views/guide/staff/GuideTransferView.vue'),
    meta: { title: 'guide.staff.transfer', staff: true },
  },
  {
    path: '/staff/:cid/guide/searches',
    component: () => import('@/views/guide/staff/SearchMissesView.vue'),
    meta: { title: 'guide.staff.searches', staff: true },
  },
  {
    path: '/staff/:cid/guide/:id/edit',
    component: () => import('@/views/guide/staff/GuideEditView.vue'),
    meta: { title: 'guide.staff.editItem', staff: true },
  },
  {
    path: '/staff/:cid/guide/:id/feedback',
    component: () => import('@/views/guide/staff/GuideFeedbackView.vue'),
    meta: { title: 'guide.staff.feedback', staff: true },
  },
  { path: '/facilities', component: () => import('@/views/facilities/FacilitiesView.vue'), meta: { title: 'facilities.title', open: true } },
  {
    path: '/facilities/:id',
    component: () => import('@/views/facilities/FacilityView.vue'),
    meta: { title: 'facilities.detail', open: true },
  },
  { path: '/contacts', component: () => import('@/views/contacts/ContactsView.vue'), meta: { title: 'contacts.title' } },
  { path: '/contacts/:id', component: () => import('@/views/contacts/ContactView.vue'), meta: { title: 'contacts.detail' } },
  {
    path: '/staff/:cid/contacts',
    component: () => import('@/views/contacts/staff/StaffContactsView.vue'),
    meta: { title: 'contactsStaff.list', staff: true },
  },
  {
    path: '/staff/:cid/contacts/new',
    component: () => import('@/views/contacts/staff/ContactEditView.vue'),
    meta: { title: 'contactsStaff.new', staff: true },
  },
  {
    path: '/staff/:cid/contacts/:id',
    component: () => import('@/views/contacts/staff/ContactEditView.vue'),
    meta: { title: 'contactsStaff.edit', staff: true },
  },
  { path: '/questions', component: () => import('@/views/consult/MyQuestionsView.vue'), meta: { title: 'consult.mine' } },
  { path: '/questions/new', component: () => import('@/views/consult/AskView.vue'), meta: { title: 'consult.ask' } },
  // Party members who answer questions without being staff reach their inbox here.
  { path: '/questions/inbox', component: () => import('@/views/consult/staff/InboxView.vue'), meta: { title: 'consultStaff.inbox' } },
  { path: '/questions/:id', component: () => import('@/views/consult/QuestionView.vue'), meta: { title: 'consult.detail' } },
  {
    path: '/staff/:cid/questions',
    component: () => import('@/views/consult/staff/InboxView.vue'),
    meta: { title: 'consultStaff.inbox', staff: true },
  },
  {
    path: '/staff/:cid/questions/settings',
    component: () => import('@/views/consult/staff/SettingsView.vue'),
    meta: { title: 'consultStaff.settings', staff: true },
  },
  { path: '/notices', component: () => import('@/views/notices/NoticesView.vue'), meta: { title: 'notices.title', tab: true } },
  { path: '/notices/:id', component: () => import('@/views/notices/NoticeView.vue'), meta: { title: 'notices.detail' } },
  { path: '/me/push', component: () => import('@/views/notices/PushSettingsView.vue'), meta: { title: 'push.settings' } },
  { path: '/polls', component: () => import('@/views/voting/PollsView.vue'), meta: { title: 'voting.title' } },
  { path: '/polls/:id', component: () => import('@/views/voting/PollView.vue'), meta: { title: 'voting.detail' } },
  {
    path: '/polls/:id/code',
    component: () => import('@/views/voting/PollCodeView.vue'),
    meta: { title: 'voting.code.title', anyone: true },
  },
  {
    path: '/staff/:cid/notices',
    component: () => import('@/views/notices/StaffNoticesView.vue'),
    meta: { title: 'notices.manage', staff: true },
  },
  {
    path: '/staff/:cid/notices/sms-budget',
    component: () => import('@/views/notices/SmsBudgetView.vue'),
    meta: { title: 'notices.smsBudget', staff: true },
  },
  {
    path: '/staff/:cid/notices/new',
    component: () => import('@/views/notices/NoticeComposeView.vue'),
    meta: { title: 'notices.compose', staff: true },
  },
  {
    path: '/staff/:cid/notices/:id/edit',
    component: () => import('@/views/notices/NoticeComposeView.vue'),
    meta: { title: 'notices.edit', staff: true },
  },
  {
    path: '/staff/:cid/notices/:id',
    component: () => import('@/views/notices/NoticeStatsView.vue'),
    meta: { title: 'notices.stats', staff: true },
  },
  {
    path: '/staff/:cid/polls',
    component: () => import('@/views/voting/staff/StaffPollsView.vue'),
    meta: { title: 'votingStaff.list', staff: true },
  },
  {
    path: '/staff/:cid/polls/new',
    component: () => import('@/views/voting/staff/PollComposeView.vue'),
    meta: { title: 'votingStaff.compose', staff: true },
  },
  {
    path: '/staff/:cid/polls/:id/edit',
    component: () => import('@/views/voting/staff/PollComposeView.vue'),
    meta: { title: 'votingStaff.edit', staff: true },
  },
  {
    path: '/staff/:cid/polls/:id/slips',
    component: () => import('@/views/voting/staff/PaperSlipsView.vue'),
    meta: { title: 'votingStaff.slips', staff: true },
  },
  {
    path: '/staff/:cid/polls/:id',
    component: () => import('@/views/voting/staff/PollManageView.vue'),
    meta: { title: 'votingStaff.detail', staff: true },
  },
  { path: '/volunteer', component: () => import('@/views/volunteering/VolunteerHomeView.vue'), meta: { title: 'volunteering.title' } },
  { path: '/volunteer/register', component: () => import('@/views/volunteering/RegisterView.vue'), meta: { title: 'volunteering.register' } },
  { path: '/volunteer/activities', component: () => import('@/views/volunteering/ActivitiesView.vue'), meta: { title: 'volunteering.activities' } },
  { path: '/volunteer/activities/:id(\\d+)', component: () => import('@/views/volunteering/ActivityView.vue'), meta: { title: 'volunteering.activity' } },
  { path: '/volunteer/mine', component: () => import('@/views/volunteering/MyActivitiesView.vue'), meta: { title: 'volunteering.mine' } },
  { path: '/volunteer/scan', component: () => import('@/views/volunteering/ScanView.vue'), meta: { title: 'volunteering.scan' } },
  { path: '/volunteer/certificate', component: () => import('@/views/volunteering/CertificateView.vue'), meta: { title: 'volunteering.certificate' } },
  { path: '/volunteer/board', component: () => import('@/views/volunteering/BoardView.vue'), meta: { title: 'volunteering.board' } },
  // Printed on certificates: an employer or school checks one without an account or a community.
  { path: '/verify/:code?', component: () => import('@/views/volunteering/VerifyView.vue'), meta: { title: 'volunteering.verify', anyone: true } },
  {
    path: '/staff/:cid/volunteers',
    component: () => import('@/views/volunteering/staff/VolunteersView.vue'),
    meta: { title: 'volunteeringStaff.volunteers', staff: true },
  },
  {
    path: '/staff/:cid/volunteers/skills',
    component: () => import('@/views/volunteering/staff/SkillsView.vue'),
    meta: { title: 'volunteeringStaff.skills', staff: true },
  },
  {
    path: '/staff/:cid/volunteers/approvals',
    component: () => import('@/views/volunteering/staff/ApprovalsView.vue'),
    meta: { title: 'volunteeringStaff.approvals', staff: true },
  },
  {
    path: '/staff/:cid/volunteers/settings',
    component: () => import('@/views/volunteering/staff/SettingsView.vue'),
    meta: { title: 'volunteeringStaff.settings', staff: true },
  },
  {
    path: '/staff/:cid/activities',
    component: () => import('@/views/volunteering/staff/StaffActivitiesView.vue'),
    meta: { title: 'volunteeringStaff.activities', staff: true },
  },
  {
    path: '/staff/:cid/activities/new',
    component: () => import('@/views/volunteering/staff/ActivityEditView.vue'),
    meta: { title: 'volunteeringStaff.newActivity', staff: true },
  },
  {
    path: '/staff/:cid/activities/:id(\\d+)/edit',
    component: () => import('@/views/volunteering/staff/ActivityEditView.vue'),
    meta: { title: 'volunteeringStaff.editActivity', staff: true },
  },
  {
    path: '/staff/:cid/activities/:id(\\d+)',
    component: () => import('@/views/volunteering/staff/ActivitySheetView.vue'),
    meta: { title: 'volunteeringStaff.sheet', staff: true },
  },
  { path: '/points', component: () => import('@/views/points/PointsView.vue'), meta: { title: 'points.title' } },
  { path: '/market', component: () => import('@/views/points/MarketView.vue'), meta: { title: 'market.title' } },
  { path: '/market/mine', component: () => import('@/views/points/MyRedemptionsView.vue'), meta: { title: 'market.mine' } },
  { path: '/market/:id(\\d+)', component: () => import('@/views/points/MarketItemView.vue'), meta: { title: 'market.detail' } },
  { path: '/partner', component: () => import('@/views/points/PartnerDeskView.vue'), meta: { title: 'partnerDesk.title' } },
  { path: '/bookings', component: () => import('@/views/bookings/BookingsHomeView.vue'), meta: { title: 'bookings.title' } },
  { path: '/bookings/r/:id(\\d+)', component: () => import('@/views/bookings/ResourceView.vue'), meta: { title: 'bookings.resource' } },
  { path: '/bookings/mine', component: () => import('@/views/bookings/MyBookingsView.vue'), meta: { title: 'bookings.mine' } },
  // The desk's QR code opens this from the phone's own camera (after logging in if need be).
  { path: '/bookings/scan', component: () => import('@/views/bookings/ScanView.vue'), meta: { title: 'bookings.scan' } },
  { path: '/services', component: () => import('@/views/services/ServicesView.vue'), meta: { title: 'services.title' } },
  { path: '/services/:id(\\d+)', component: () => import('@/views/services/ProviderView.vue'), meta: { title: 'services.detail' } },
  {
    path: '/staff/:cid/market',
    component: () => import('@/views/points/staff/CatalogView.vue'),
    meta: { title: 'pointsStaff.catalog', staff: true },
  },
  {
    path: '/staff/:cid/market/new',
    component: () => import('@/views/points/staff/CatalogEditView.vue'),
    meta: { title: 'pointsStaff.newItem', staff: true },
  },
  {
    path: '/staff/:cid/market/redemptions',
    component: () => import('@/views/points/staff/RedemptionsDeskView.vue'),
    meta: { title: 'pointsStaff.redemptions', staff: true },
  },
  {
    path: '/staff/:cid/market/:id(\\d+)',
    component: () => import('@/views/points/staff/CatalogEditView.vue'),
    meta: { title: 'pointsStaff.editItem', staff: true },
  },
  {
    path: '/staff/:cid/points',
    component: () => import('@/views/points/staff/LedgerView.vue'),
    meta: { title: 'pointsStaff.ledger', staff: true },
  },
  {
    path: '/staff/:cid/points/settings',
    component: () => import('@/views/points/staff/PointsSettingsView.vue'),
    meta: { title: 'pointsStaff.settings', staff: true },
  },
  {
    path: '/staff/:cid/partners',
    component: () => import('@/views/points/staff/PartnersView.vue'),
    meta: { title: 'pointsStaff.partners', staff: true },
  },
  {
    path: '/staff/:cid/bookings',
    component: () => import('@/views/bookings/staff/ResourcesView.vue'),
    meta: { title: 'bookingsStaff.resources', staff: true },
  },
  {
    path: '/staff/:cid/bookings/resources/new',
    component: () => import('@/views/bookings/staff/ResourceEditView.vue'),
    meta: { title: 'bookingsStaff.newResource', staff: true },
  },
  {
    path: '/staff/:cid/bookings/resources/:id(\\d+)/edit',
    component: () => import('@/views/bookings/staff/ResourceEditView.vue'),
    meta: { title: 'bookingsStaff.editResource', staff: true },
  },
  {
    path: '/staff/:cid/bookings/resources/:id(\\d+)',
    component: () => import('@/views/bookings/staff/CalendarView.vue'),
    meta: { title: 'bookingsStaff.calendar', staff: true },
  },
  {
    path: '/staff/:cid/bookings/approvals',
    component: () => import('@/views/bookings/staff/ApprovalsView.vue'),
    meta: { title: 'bookingsStaff.approvals', staff: true },
  },
  {
    path: '/staff/:cid/bookings/settings',
    component: () => import('@/views/bookings/staff/SettingsView.vue'),
    meta: { title: 'bookingsStaff.settings', staff: true },
  },
  {
    path: '/staff/:cid/services',
    component: () => import('@/views/services/staff/ProvidersView.vue'),
    meta: { title: 'servicesStaff.providers', staff: true },
  },
  {
    path: '/staff/:cid/services/new',
    component: () => import('@/views/services/staff/ProviderEditView.vue'),
    meta: { title: 'servicesStaff.newProvider', staff: true },
  },
  {
    path: '/staff/:cid/services/:id(\\d+)',
    component: () => import('@/views/services/staff/ProviderEditView.vue'),
    meta: { title: 'servicesStaff.editProvider', staff: true },
  },
  { path: '/admin', component: () => import('@/views/admin/AdminCommunitiesView.vue'), meta: { title: 'admin.communities', admin: true } },
  { path: '/admin/users', component: () => import('@/views/admin/UsersView.vue'), meta: { title: 'admin.users', admin: true } },
  {
    path: '/admin/communities/new',
    component: () => import('@/views/admin/CommunityEditView.vue'),
    meta: { title: 'admin.newCommunity', admin: true },
  },
  {
    path: '/admin/communities/:id(\\d+)',
    component: () => import('@/views/admin/CommunityEditView.vue'),
    meta: { title: 'admin.editCommunity', admin: true },
  },
  {
    path: '/admin/communities/:id(\\d+)/staff',
    component: () => import('@/views/admin/CommunityStaffView.vue'),
    meta: { title: 'admin.staff', admin: true },
  },
  { path: '/:rest(.*)*', redirect: '/' },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
})

// Before the other guards, so that their waits count too.
export const routeLoading = trackRouteLoading(router)

// A screen's messages are fetched alongside its code and are in before it shows. The early start only
// saves time: a failure there is retried, and then reported, by the wait in beforeResolve.
router.beforeEach((to) => {
  loadMessages(screenNamespaces(to.path)).catch(() => undefined)
  // The screen's code too, while the session is checked: the router asks for it again after the
  // guards, and gets the same module without a second download.
  for (const record of to.matched) {
    for (const component of Object.values(record.components ?? {})) {
      if (typeof component === 'function') Promise.resolve().then(component as () => unknown).catch(() => undefined)
    }
  }
})
router.beforeResolve((to) => loadMessages(screenNamespaces(to.path)))

router.beforeEach(async (to) => {
  const session = useSessionStore()
  // With no network and nothing cached there is no way to know the user: show the login page.
  const me = await session.ensure().catch(() => null)
  if (to.meta.guest) return me ? '/' : true
  if (to.meta.anyone) return true
  if (!me && to.meta.open) return guestCommunityId() ? true : '/browse'
  if (!me) return { path: '/login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  if (to.meta.staff && !session.isStaff) return '/'
  if (to.meta.admin && !me.is_admin) return '/'
  return true
})

// The first screen's data comes with its code; later screens show what they have and fetch their own.
let screenData = Promise.resolve()
router.beforeEach((to, from) => {
  if (from === START_LOCATION) screenData = loadScreenData(to.path)
})
router.beforeResolve(() => screenData)

setUnauthorizedHandler((returnPath) => {
  useSessionStore().setMe(null)
  if (router.currentRoute.value.meta.guest) return
  router.replace({ path: '/login', query: { redirect: returnPath } })
})
