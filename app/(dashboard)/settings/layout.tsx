import { PageHeader } from "@/components/ui/card";
import { SettingsTabs } from "@/components/shell/settings-tabs";

export default function SettingsLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      <PageHeader title="Settings" description="Your business, team and audit trail, and your own account." />
      <SettingsTabs />
      <div className="mt-6">{children}</div>
    </>
  );
}
