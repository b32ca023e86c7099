import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { chatsKey } from "./cache.ts";
import { AuthScreen } from "./components/AuthScreen.tsx";
import { Shell } from "./components/Shell.tsx";
import { t } from "./i18n.ts";
import { LiveProvider } from "./live.tsx";
import { serverSettingsKey } from "./server-settings.ts";
import { api, useSession, type Session } from "./session.ts";

export function App() {
  const session = useSession();
  const queryClient = useQueryClient();
  // Nothing of one user may show for the next (the server's own settings are nobody's).
  useEffect(() => {
    if (!session) {
      queryClient.removeQueries({
        predicate: (query) => query.queryKey[0] !== serverSettingsKey[0],
      });
    }
  }, [session, queryClient]);
  if (!session) return <AuthScreen />;
  return <Home key={session.user.id} session={session} />;
}

function Home({ session }: { session: Session }) {
  const chats = useQuery({ queryKey: chatsKey, queryFn: () => api.listChats() });
  if (chats.isPending) {
    return (
      <div className="splash" role="status">
        {t.connecting}
      </div>
    );
  }
  return (
    <LiveProvider session={session} chats={chats.data ?? []}>
      <Shell session={session} />
    </LiveProvider>
  );
}
