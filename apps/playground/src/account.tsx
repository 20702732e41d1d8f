import { SignIn, UserProfile, useUser } from '@gatehouse/react';

/** /playground/account: the signed-in user's profile, security and devices. */
export function AccountPage() {
  const { isLoaded, user } = useUser();
  if (isLoaded && !user) {
    return (
      <div className="pg-stage">
        <SignIn signUpUrl="/playground/sign-up" />
      </div>
    );
  }
  return (
    <div className="pg-stage">
      <UserProfile />
    </div>
  );
}
