export {
  useGatehouseClient,
  useOrganization,
  useOrganizationList,
  usePermission,
  useSession,
  useUser,
} from './hooks.js';
export {
  GatehouseProvider,
  type GatehouseProviderProps,
  type GatehouseSession,
  type GatehouseUser,
  type Loadable,
  type Organization,
  type OrganizationMembership,
  type Theme,
} from './provider.js';
export { AcceptInvitation, type AcceptInvitationProps } from './widgets/accept-invitation.js';
export { ApiTokens, type ApiTokensProps } from './widgets/api-tokens.js';
export { CreateOrganization, type CreateOrganizationProps } from './widgets/create-organization.js';
export { InvitationList, type InvitationListProps } from './widgets/invitation-list.js';
export { InviteMember, type InviteMemberProps } from './widgets/invite-member.js';
export { JoinCodes, type JoinCodesProps } from './widgets/join-codes.js';
export { JoinOrganization, type JoinOrganizationProps } from './widgets/join-organization.js';
export { MemberList, type MemberListProps } from './widgets/member-list.js';
export { OrganizationProfile, type OrganizationProfileProps } from './widgets/organization-profile.js';
export { OrganizationSwitcher, type OrganizationSwitcherProps } from './widgets/organization-switcher.js';
export { RoleMatrix, type RoleMatrixProps } from './widgets/role-matrix.js';
export { SignIn, type SignInProps } from './widgets/sign-in.js';
export { SignUp, type SignUpProps } from './widgets/sign-up.js';
export { UserButton, type UserButtonProps } from './widgets/user-button.js';
export { UserProfile, type UserProfileProps, type UserProfileTab } from './widgets/user-profile.js';
