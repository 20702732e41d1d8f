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
export { CreateOrganization, type CreateOrganizationProps } from './widgets/create-organization.js';
export { OrganizationSwitcher, type OrganizationSwitcherProps } from './widgets/organization-switcher.js';
export { SignIn, type SignInProps } from './widgets/sign-in.js';
export { SignUp, type SignUpProps } from './widgets/sign-up.js';
export { UserButton, type UserButtonProps } from './widgets/user-button.js';
export { UserProfile, type UserProfileProps, type UserProfileTab } from './widgets/user-profile.js';
