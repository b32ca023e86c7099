/**
 * English by default; Spanish when the browser's language starts with `es` (the product
 * comes from a Spanish document). Picked once at start-up.
 */
const en = {
  appName: "Charla",
  tagline: "Chat in real time with the people you care about.",
  username: "Username",
  password: "Password",
  logIn: "Log in",
  register: "Register",
  logOut: "Log out",
  notificationSettings: "Notifications",
  profile: "Profile",
  displayName: "Display name",
  displayNameHint: "Shown instead of your username; leave empty to use the username.",
  saved: "Saved",
  changePhoto: "Change photo",
  removePhoto: "Remove photo",
  cropHint: "The photo is cropped to a square from its centre.",
  changePassword: "Change password",
  currentPassword: "Current password",
  newPassword: "New password",
  passwordChanged: "Password changed; your other devices were logged out.",
  logOutOthers: "Log out other devices",
  logOutOthersHint: "Enter your password: every other device and browser is logged out.",
  othersLoggedOut: "Your other devices were logged out.",
  deleteAccount: "Delete account",
  deleteAccountHint: (username: string) =>
    `This closes your account for good: you leave every chat and cannot log in again. Type “${username}” to confirm.`,
  eraseMessages: "Also delete every message I sent",
  typeToConfirm: "Type your username",
  showNotifications: "Show a notification for new messages",
  playSound: "Play a sound for new messages",
  notificationsHint:
    "Only for messages in other chats, or while Charla is in the background. Muted chats and your own messages never notify.",
  notificationsBlocked:
    "This browser blocks notifications from Charla. Allow them in the site settings (the icon next to the address), then turn this on again.",
  notificationsUnsupported: "This browser cannot show notifications.",
  noAccount: "New here?",
  usernameHint: "3–32 letters, digits, _ . -",
  passwordHint: "At least 8 characters",
  chats: "Chats",
  newChat: "New chat",
  noChats: "No chats yet. Start one with “New chat”.",
  noMessagesYet: "No messages yet",
  filterChats: "Filter chats",
  noChatsMatch: "No chat by that name.",
  draft: "Draft",
  pickChat: "Pick a chat, or start a new one.",
  searchUsers: "Search users",
  searchPlaceholder: "Type a username",
  noUsersFound: "Nobody found by that name.",
  groupName: "Group name",
  startChat: "Start chat",
  createGroup: "Create group",
  cancel: "Cancel",
  close: "Close",
  selected: "Selected",
  remove: "Remove",
  directHint: "Pick one person for a direct chat, or several for a group.",
  message: "Message",
  messagePlaceholder: "Write a message",
  send: "Send",
  sending: "Sending…",
  waitingForConnection: "Waiting for the connection…",
  notSent: "Not sent",
  retry: "Retry",
  editMessage: "Edit message",
  reply: "Reply",
  muteChat: "Mute notifications",
  unmuteChat: "Unmute notifications",
  muted: "muted",
  replyingTo: (name: string) => `Replying to ${name}`,
  cancelReply: "Cancel the reply",
  inReplyTo: "In reply to",
  jumpToOriginal: "Show the original message",
  addReaction: "Add a reaction",
  messageActions: (name: string) => `Actions for the message from ${name}`,
  myMessageActions: "Actions for your message",
  copyText: "Copy text",
  copied: "Copied",
  reactWith: (emoji: string) => `React with ${emoji}`,
  reactionLabel: (emoji: string, n: number, who: string) => `${emoji} ${n}: ${who}`,
  andMore: (n: number) => `and ${n} more`,
  mentions: (n: number) => (n === 1 ? "1 mention" : `${n} mentions`),
  editGroup: "Group name and description",
  groupDescription: "Description",
  searchMessages: "Search messages",
  searchMessagesPlaceholder: "Words in any chat",
  searchResults: (n: number) => (n === 1 ? "1 result" : `${n} results`),
  searchResultsLabel: "Messages found",
  noMessagesFound: "No message has those words.",
  moreResults: "More results",
  loadingNewer: "Loading later messages…",
  mentionSomeone: "Mention someone",
  moreEmoji: "More emoji",
  emojiPicker: "Emoji",
  searchEmoji: "Search emoji",
  loadingEmoji: "Loading emoji…",
  noEmojiFound: "No emoji by that name.",
  emojiFound: (n: number) => (n === 1 ? "1 emoji" : `${n} emoji`),
  mentionChoices: (n: number) =>
    `${n === 1 ? "1 person" : `${n} people`} to mention: ↑ ↓ to choose, Enter to pick.`,
  searchHint: "↑ ↓ to choose, Enter to open. Ctrl+K or ⌘K opens this search anywhere.",
  deleteMessage: "Delete message",
  deleteQuestion: "Delete this message for everyone?",
  delete: "Delete",
  removeQuestion: (name: string) => `Remove ${name} from the group?`,
  leaveQuestion: "Leave this group?",
  leave: "Leave",
  editField: "New text",
  save: "Save",
  edited: "edited",
  deleted: "This message was deleted",
  you: "You",
  online: "online",
  offline: "offline",
  members: (n: number) => (n === 1 ? "1 member" : `${n} members`),
  typing: (names: string[]) =>
    names.length === 1
      ? `${names[0]} is typing…`
      : names.length === 2
        ? `${names[0]} and ${names[1]} are typing…`
        : "Several people are typing…",
  membersTitle: "Members",
  owner: "Owner",
  member: "Member",
  addMembers: "Add people",
  peopleToAdd: "People to add",
  add: "Add",
  leaveGroup: "Leave group",
  done: "Done",
  seen: "Seen",
  seenBy: (names: string[]) => `Seen by ${names.join(", ")}`,
  unread: (n: number) => (n === 1 ? "1 unread message" : `${n} unread messages`),
  backToChats: "Back to chats",
  jumpToLatest: "Jump to the latest messages",
  jumpToNew: (n: number) => (n === 1 ? "Jump to 1 new message" : `Jump to ${n} new messages`),
  newMessages: "New messages",
  conversation: "Conversation",
  loadingOlder: "Loading earlier messages…",
  beginning: "This is the beginning of the conversation.",
  reconnecting: "Connection lost. Reconnecting…",
  disconnected: "Disconnected.",
  reconnect: "Reconnect",
  connecting: "Connecting…",
  messages: "Messages",
  today: "Today",
  yesterday: "Yesterday",
  files: {
    attach: "Attach files",
    dropHere: "Drop files to attach them",
    uploading: (name: string) => `Uploading ${name}`,
    failed: "Upload failed",
    cancelUpload: (name: string) => `Cancel ${name}`,
    removeFile: (name: string) => `Remove ${name}`,
    tooMany: (max: number) => `At most ${max} files per message.`,
    tooLarge: (name: string, max: string) =>
      `${name} is too large: a file may be at most ${max}. Nothing was sent.`,
    download: (name: string) => `Download ${name}`,
    downloadShort: "Download",
    open: (name: string) => `Open ${name} full size`,
    viewer: "Picture viewer",
    close: "Close",
    attachments: (count: number) => (count === 1 ? "1 file" : `${count} files`),
    units: ["bytes", "KB", "MB", "GB"],
  },
  errors: {
    VALIDATION_ERROR: "Please check what you typed.",
    UNAUTHORIZED: "Wrong username or password.",
    FORBIDDEN: "You may not do that.",
    NOT_FOUND: "Not found.",
    CONFLICT: "That username is taken.",
    PAYLOAD_TOO_LARGE: "That is too long.",
    RATE_LIMITED: "Too many attempts; wait a moment.",
    INTERNAL: "Something went wrong. Try again.",
    UNAVAILABLE: "The server cannot be reached right now.",
  },
  /** Administration and moderation (issue 16). */
  admin: {
    title: "Administration",
    subtitle: "Users, invites, reports and the audit log of this server",
    onlyAdmins: "Only the server's admins can see this page.",
    sections: "Sections",
    users: "Users",
    invites: "Invites",
    reports: "Reports",
    audit: "Audit log",
    findUsers: "Find users",
    roleAdmin: "Admin",
    bot: "Bot",
    deactivated: "Deactivated",
    deactivate: "Deactivate",
    reactivate: "Reactivate",
    deactivateQuestion: (name: string) =>
      `Deactivate ${name}? They are logged out everywhere and cannot log in again until reactivated.`,
    invitesHint:
      "An invite link lets people create an account while registration is by invitation only. The server keeps only a fingerprint of each link, so it is shown here once: copy it now.",
    maxUses: "How many people may use it",
    expiresIn: "Valid for",
    hours: (n: number) => (n === 1 ? "1 hour" : `${n} hours`),
    days: (n: number) => (n === 1 ? "1 day" : `${n} days`),
    createInvite: "Create invite link",
    newInvites: "Invite links made now",
    inviteLink: "Invite link",
    inviteMeta: (uses: number, expires: string) =>
      `${uses === 1 ? "1 use" : `${uses} uses`} · valid until ${expires}`,
    copyLink: "Copy link",
    copied: "Copied",
    copyByHand: "The browser refused to copy: the link is selected, copy it with the keyboard.",
    noReports: "No reports. When someone reports a message it shows here.",
    reportedBy: (name: string, when: string) => `Reported by ${name} · ${when}`,
    reason: "Reason",
    messageFrom: (name: string, when: string) => `Message from ${name} · ${when}`,
    messageDeleted: "Deleted",
    deactivateSender: "Deactivate the sender",
    noAudit: "No admin action yet.",
    loadMore: "Load more",
    someone: "someone",
    /** The group of an audit entry, when the admin is not in it (its name is not theirs to see). */
    groupNotIn: "a group you are not in",
    aGroup: "a group",
    action: (action: string, actor: string, target: string): string => {
      switch (action) {
        case "user.deactivate":
          return `${actor} deactivated ${target}`;
        case "user.reactivate":
          return `${actor} reactivated ${target}`;
        case "message.delete":
          return `${actor} deleted a message`;
        case "invite.create":
          return `${actor} created an invite link`;
        case "bot.create":
          return `${actor} created the bot ${target}`;
        case "bot.token.revoke":
          return `${actor} revoked the token of ${target}`;
        case "bot.token.reissue":
          return `${actor} issued a new token for ${target}`;
        case "webhook.incoming.create":
          return `${actor} added an incoming webhook to ${target}`;
        case "webhook.incoming.delete":
          return `${actor} deleted an incoming webhook of ${target}`;
        case "webhook.outgoing.create":
          return `${actor} added an outgoing webhook`;
        case "webhook.outgoing.delete":
          return `${actor} deleted an outgoing webhook`;
        default:
          return `${actor}: ${action} ${target}`;
      }
    },
  },
  /** Registering with an invite link, and what a refused login or registration means. */
  signUp: {
    title: "Create your account",
    invited: "You were invited to Charla: pick a username and a password.",
    create: "Create account",
    haveAccount: "Already have an account?",
    invite: "Invite link or code",
    inviteHint: "Paste the invite link an admin sent you.",
    needsInvite:
      "This server takes new accounts only with a valid invite link (unused and not expired), or not at all. Ask an admin for one.",
    deactivated: "This account is deactivated. Ask an admin of the server.",
    closed: "This server is not taking new accounts.",
  },
  /** Reports, blocks and group roles (issue 16). */
  mod: {
    report: "Report",
    reportMessage: "Report message",
    reportTitle: "Report this message",
    reportHint: (name: string) =>
      `The server's admins see the message from ${name} and your reason; ${name} is not told who reported it.`,
    reportReason: "What is wrong with it?",
    sendReport: "Send report",
    reportSent: "Thank you: the admins will look at it.",
    viewProfile: "View profile",
    profileOf: (name: string) => `Profile of ${name}`,
    block: "Block",
    unblock: "Unblock",
    blocked: "Blocked",
    blockHint:
      "A person you block cannot open a direct chat with you nor write to you there, and you stop seeing each other online. They are not told.",
    blockedNotice: (name: string) => `You blocked ${name}: they cannot write to you here.`,
    groupAdmin: "Admin",
    makeAdmin: "Make admin",
    removeAdmin: "Remove admin",
    rolesHint:
      "The group's admins add and remove members and delete any message in it; only the owner names admins.",
  },
  /** A group's incoming webhooks, in its members dialog (owner and admins). */
  hooks: {
    title: "Webhooks",
    loading: "Loading webhooks…",
    hint: "Another program (a build server, an alert) posts into this group through a webhook's URL, with no password: whoever has the URL can post as the webhook's name.",
    name: "Webhook name",
    create: "Create webhook",
    url: "Webhook URL",
    urlHint:
      'Shown this once: the server keeps only a fingerprint of it. POST JSON {"text": "…"} to it.',
    copy: "Copy URL",
    list: "Webhooks of this group",
    none: "No webhook yet.",
    createdOn: (when: string) => `Created ${when}`,
    deleteQuestion: (name: string) => `Delete ${name}? Its URL stops working at once.`,
    /** After a webhook's bot's name in the members list. */
    bot: "webhook",
    // The server deletes the webhook with its bot (domain/chats.ts removeMember).
    removeQuestion: (name: string) =>
      `Remove the webhook ${name}? It is deleted, and its URL stops working at once.`,
  },
};

type Strings = typeof en;

const es: Strings = {
  appName: "Charla",
  tagline: "Chatea en tiempo real con quien te importa.",
  username: "Usuario",
  password: "Contraseña",
  logIn: "Entrar",
  register: "Registrarse",
  logOut: "Salir",
  notificationSettings: "Notificaciones",
  profile: "Perfil",
  displayName: "Nombre visible",
  displayNameHint: "Se muestra en lugar de tu usuario; déjalo vacío para usar el usuario.",
  saved: "Guardado",
  changePhoto: "Cambiar foto",
  removePhoto: "Quitar foto",
  cropHint: "La foto se recorta en un cuadrado desde el centro.",
  changePassword: "Cambiar contraseña",
  currentPassword: "Contraseña actual",
  newPassword: "Contraseña nueva",
  passwordChanged: "Contraseña cambiada; tus otros dispositivos han cerrado sesión.",
  logOutOthers: "Cerrar sesión en otros dispositivos",
  logOutOthersHint:
    "Escribe tu contraseña: se cierra la sesión en cualquier otro dispositivo o navegador.",
  othersLoggedOut: "Se cerró la sesión en tus otros dispositivos.",
  deleteAccount: "Eliminar cuenta",
  deleteAccountHint: (username: string) =>
    `Esto cierra tu cuenta para siempre: sales de todos los chats y no podrás volver a entrar. Escribe «${username}» para confirmar.`,
  eraseMessages: "Borrar también todos los mensajes que envié",
  typeToConfirm: "Escribe tu usuario",
  showNotifications: "Mostrar una notificación con cada mensaje nuevo",
  playSound: "Sonar con cada mensaje nuevo",
  notificationsHint:
    "Solo para mensajes de otros chats, o mientras Charla está en segundo plano. Los chats silenciados y tus propios mensajes nunca avisan.",
  notificationsBlocked:
    "Este navegador bloquea las notificaciones de Charla. Permítelas en la configuración del sitio (el icono junto a la dirección) y vuelve a activarlas.",
  notificationsUnsupported: "Este navegador no puede mostrar notificaciones.",
  noAccount: "¿Eres nuevo?",
  usernameHint: "3–32 letras, dígitos, _ . -",
  passwordHint: "Al menos 8 caracteres",
  chats: "Chats",
  newChat: "Nuevo chat",
  noChats: "Aún no hay chats. Empieza uno con «Nuevo chat».",
  noMessagesYet: "Aún no hay mensajes",
  filterChats: "Filtrar chats",
  noChatsMatch: "Ningún chat con ese nombre.",
  draft: "Borrador",
  pickChat: "Elige un chat o empieza uno nuevo.",
  searchUsers: "Buscar usuarios",
  searchPlaceholder: "Escribe un nombre de usuario",
  noUsersFound: "No hay nadie con ese nombre.",
  groupName: "Nombre del grupo",
  startChat: "Empezar chat",
  createGroup: "Crear grupo",
  cancel: "Cancelar",
  close: "Cerrar",
  selected: "Seleccionados",
  remove: "Quitar",
  directHint: "Elige una persona para un chat directo, o varias para un grupo.",
  message: "Mensaje",
  messagePlaceholder: "Escribe un mensaje",
  send: "Enviar",
  sending: "Enviando…",
  waitingForConnection: "Esperando la conexión…",
  notSent: "No enviado",
  retry: "Reintentar",
  editMessage: "Editar mensaje",
  reply: "Responder",
  muteChat: "Silenciar notificaciones",
  unmuteChat: "Activar notificaciones",
  muted: "silenciado",
  replyingTo: (name) => `Respondiendo a ${name}`,
  cancelReply: "Cancelar la respuesta",
  inReplyTo: "En respuesta a",
  jumpToOriginal: "Ver el mensaje original",
  addReaction: "Añadir una reacción",
  messageActions: (name) => `Acciones del mensaje de ${name}`,
  myMessageActions: "Acciones de tu mensaje",
  copyText: "Copiar texto",
  copied: "Copiado",
  reactWith: (emoji) => `Reaccionar con ${emoji}`,
  reactionLabel: (emoji, n, who) => `${emoji} ${n}: ${who}`,
  andMore: (n) => `y ${n} más`,
  mentions: (n) => (n === 1 ? "1 mención" : `${n} menciones`),
  editGroup: "Nombre y descripción del grupo",
  groupDescription: "Descripción",
  searchMessages: "Buscar mensajes",
  searchMessagesPlaceholder: "Palabras en cualquier chat",
  searchResults: (n) => (n === 1 ? "1 resultado" : `${n} resultados`),
  searchResultsLabel: "Mensajes encontrados",
  noMessagesFound: "Ningún mensaje tiene esas palabras.",
  moreResults: "Más resultados",
  loadingNewer: "Cargando mensajes posteriores…",
  mentionSomeone: "Mencionar a alguien",
  moreEmoji: "Más emojis",
  emojiPicker: "Emojis",
  searchEmoji: "Buscar emoji",
  loadingEmoji: "Cargando emojis…",
  noEmojiFound: "Ningún emoji con ese nombre.",
  emojiFound: (n) => (n === 1 ? "1 emoji" : `${n} emojis`),
  mentionChoices: (n) =>
    `${n === 1 ? "1 persona" : `${n} personas`} para mencionar: ↑ ↓ para moverte, Intro para elegir.`,
  searchHint:
    "↑ ↓ para elegir, Intro para abrir. Ctrl+K o ⌘K abre esta búsqueda desde cualquier sitio.",
  deleteMessage: "Eliminar mensaje",
  deleteQuestion: "¿Eliminar este mensaje para todos?",
  delete: "Eliminar",
  removeQuestion: (name) => `¿Quitar a ${name} del grupo?`,
  leaveQuestion: "¿Salir de este grupo?",
  leave: "Salir",
  editField: "Nuevo texto",
  save: "Guardar",
  edited: "editado",
  deleted: "Este mensaje fue eliminado",
  you: "Tú",
  online: "en línea",
  offline: "desconectado",
  members: (n) => (n === 1 ? "1 miembro" : `${n} miembros`),
  typing: (names) =>
    names.length === 1
      ? `${names[0]} está escribiendo…`
      : names.length === 2
        ? `${names[0]} y ${names[1]} están escribiendo…`
        : "Varias personas están escribiendo…",
  membersTitle: "Miembros",
  owner: "Propietario",
  member: "Miembro",
  addMembers: "Añadir personas",
  peopleToAdd: "Personas para añadir",
  add: "Añadir",
  leaveGroup: "Salir del grupo",
  done: "Hecho",
  seen: "Visto",
  seenBy: (names) => `Visto por ${names.join(", ")}`,
  unread: (n) => (n === 1 ? "1 mensaje sin leer" : `${n} mensajes sin leer`),
  backToChats: "Volver a los chats",
  jumpToLatest: "Ir a los últimos mensajes",
  jumpToNew: (n) => (n === 1 ? "Ir a 1 mensaje nuevo" : `Ir a ${n} mensajes nuevos`),
  newMessages: "Mensajes nuevos",
  conversation: "Conversación",
  loadingOlder: "Cargando mensajes anteriores…",
  beginning: "Este es el principio de la conversación.",
  reconnecting: "Conexión perdida. Reconectando…",
  disconnected: "Desconectado.",
  reconnect: "Reconectar",
  connecting: "Conectando…",
  messages: "Mensajes",
  today: "Hoy",
  yesterday: "Ayer",
  files: {
    attach: "Adjuntar archivos",
    dropHere: "Suelta los archivos para adjuntarlos",
    uploading: (name: string) => `Subiendo ${name}`,
    failed: "No se pudo subir",
    cancelUpload: (name: string) => `Cancelar ${name}`,
    removeFile: (name: string) => `Quitar ${name}`,
    tooMany: (max: number) => `Como mucho ${max} archivos por mensaje.`,
    tooLarge: (name: string, max: string) =>
      `${name} es demasiado grande: un archivo puede tener como mucho ${max}. No se ha enviado nada.`,
    download: (name: string) => `Descargar ${name}`,
    downloadShort: "Descargar",
    open: (name: string) => `Abrir ${name} a tamaño completo`,
    viewer: "Visor de imágenes",
    close: "Cerrar",
    attachments: (count: number) => (count === 1 ? "1 archivo" : `${count} archivos`),
    units: ["bytes", "KB", "MB", "GB"],
  },
  errors: {
    VALIDATION_ERROR: "Revisa lo que escribiste.",
    UNAUTHORIZED: "Usuario o contraseña incorrectos.",
    FORBIDDEN: "No puedes hacer eso.",
    NOT_FOUND: "No encontrado.",
    CONFLICT: "Ese nombre de usuario ya existe.",
    PAYLOAD_TOO_LARGE: "Es demasiado largo.",
    RATE_LIMITED: "Demasiados intentos; espera un momento.",
    INTERNAL: "Algo salió mal. Inténtalo de nuevo.",
    UNAVAILABLE: "No se puede contactar con el servidor ahora.",
  },
  admin: {
    title: "Administración",
    subtitle: "Usuarios, invitaciones, denuncias y el registro de auditoría de este servidor",
    onlyAdmins: "Solo los administradores del servidor pueden ver esta página.",
    sections: "Secciones",
    users: "Usuarios",
    invites: "Invitaciones",
    reports: "Denuncias",
    audit: "Registro de auditoría",
    findUsers: "Buscar usuarios",
    roleAdmin: "Admin",
    bot: "Bot",
    deactivated: "Desactivado",
    deactivate: "Desactivar",
    reactivate: "Reactivar",
    deactivateQuestion: (name) =>
      `¿Desactivar a ${name}? Se cerrarán todas sus sesiones y no podrá entrar hasta que lo reactives.`,
    invitesHint:
      "Un enlace de invitación permite crear una cuenta cuando el registro es solo por invitación. El servidor guarda solo una huella de cada enlace, así que se muestra aquí una vez: cópialo ahora.",
    maxUses: "Cuántas personas pueden usarlo",
    expiresIn: "Válido durante",
    hours: (n) => (n === 1 ? "1 hora" : `${n} horas`),
    days: (n) => (n === 1 ? "1 día" : `${n} días`),
    createInvite: "Crear enlace de invitación",
    newInvites: "Enlaces creados ahora",
    inviteLink: "Enlace de invitación",
    inviteMeta: (uses, expires) =>
      `${uses === 1 ? "1 uso" : `${uses} usos`} · válido hasta ${expires}`,
    copyLink: "Copiar enlace",
    copied: "Copiado",
    copyByHand: "El navegador no dejó copiar: el enlace está seleccionado, cópialo con el teclado.",
    noReports: "No hay denuncias. Cuando alguien denuncie un mensaje aparecerá aquí.",
    reportedBy: (name, when) => `Denunciado por ${name} · ${when}`,
    reason: "Motivo",
    messageFrom: (name, when) => `Mensaje de ${name} · ${when}`,
    messageDeleted: "Borrado",
    deactivateSender: "Desactivar al remitente",
    noAudit: "Todavía no hay acciones de administración.",
    loadMore: "Cargar más",
    someone: "alguien",
    groupNotIn: "un grupo del que no eres miembro",
    aGroup: "un grupo",
    action: (action, actor, target) => {
      switch (action) {
        case "user.deactivate":
          return `${actor} desactivó a ${target}`;
        case "user.reactivate":
          return `${actor} reactivó a ${target}`;
        case "message.delete":
          return `${actor} borró un mensaje`;
        case "invite.create":
          return `${actor} creó un enlace de invitación`;
        case "bot.create":
          return `${actor} creó el bot ${target}`;
        case "bot.token.revoke":
          return `${actor} revocó el token de ${target}`;
        case "bot.token.reissue":
          return `${actor} emitió un token nuevo para ${target}`;
        case "webhook.incoming.create":
          return `${actor} añadió un webhook entrante a ${target}`;
        case "webhook.incoming.delete":
          return `${actor} borró un webhook entrante de ${target}`;
        case "webhook.outgoing.create":
          return `${actor} añadió un webhook saliente`;
        case "webhook.outgoing.delete":
          return `${actor} borró un webhook saliente`;
        default:
          return `${actor}: ${action} ${target}`;
      }
    },
  },
  signUp: {
    title: "Crea tu cuenta",
    invited: "Te han invitado a Charla: elige un nombre de usuario y una contraseña.",
    create: "Crear cuenta",
    haveAccount: "¿Ya tienes cuenta?",
    invite: "Enlace o código de invitación",
    inviteHint: "Pega el enlace de invitación que te envió un administrador.",
    needsInvite:
      "Este servidor solo admite cuentas nuevas con un enlace de invitación válido (sin usar y sin caducar), o ninguna. Pídele uno a un administrador.",
    deactivated: "Esta cuenta está desactivada. Pregunta a un administrador del servidor.",
    closed: "Este servidor no admite cuentas nuevas.",
  },
  mod: {
    report: "Denunciar",
    reportMessage: "Denunciar mensaje",
    reportTitle: "Denunciar este mensaje",
    reportHint: (name) =>
      `Los administradores del servidor verán el mensaje de ${name} y tu motivo; a ${name} no se le dice quién lo denunció.`,
    reportReason: "¿Qué tiene de malo?",
    sendReport: "Enviar denuncia",
    reportSent: "Gracias: los administradores lo revisarán.",
    viewProfile: "Ver perfil",
    profileOf: (name) => `Perfil de ${name}`,
    block: "Bloquear",
    unblock: "Desbloquear",
    blocked: "Bloqueado",
    blockHint:
      "Quien bloqueas no puede abrir un chat directo contigo ni escribirte en él, y dejáis de veros en línea. No se le avisa.",
    blockedNotice: (name) => `Bloqueaste a ${name}: no puede escribirte aquí.`,
    groupAdmin: "Admin",
    makeAdmin: "Hacer admin",
    removeAdmin: "Quitar admin",
    rolesHint:
      "Los admins del grupo añaden y quitan miembros y borran cualquier mensaje; solo el propietario nombra admins.",
  },
  hooks: {
    title: "Webhooks",
    loading: "Cargando webhooks…",
    hint: "Otro programa (un servidor de compilación, una alerta) publica en este grupo a través de la URL de un webhook, sin contraseña: quien tenga la URL puede publicar con el nombre del webhook.",
    name: "Nombre del webhook",
    create: "Crear webhook",
    url: "URL del webhook",
    urlHint:
      'Se muestra solo esta vez: el servidor guarda solo una huella. Envíale JSON {"text": "…"} con POST.',
    copy: "Copiar URL",
    list: "Webhooks de este grupo",
    none: "Aún no hay webhooks.",
    createdOn: (when) => `Creado el ${when}`,
    deleteQuestion: (name) => `¿Borrar ${name}? Su URL deja de funcionar en el acto.`,
    bot: "webhook",
    removeQuestion: (name) =>
      `¿Quitar el webhook ${name}? Se borra y su URL deja de funcionar en el acto.`,
  },
};

// Through globalThis: test/web/spanish.test.ts imports the tables in Node, without the DOM.
const browserLanguage = (globalThis as { navigator?: { language?: string } }).navigator?.language;
export const lang: "en" | "es" = browserLanguage?.toLowerCase().startsWith("es") ? "es" : "en";

export const t: Strings = lang === "es" ? es : en;

/**
 * Both tables, for test/web/spanish.test.ts: it walks the client in Spanish and asserts that
 * none of the English strings shows. The client itself reads `t`.
 */
export const tables: { en: Strings; es: Strings } = { en, es };

const timeFormat = new Intl.DateTimeFormat(lang, { hour: "numeric", minute: "2-digit" });
const dayFormat = new Intl.DateTimeFormat(lang, { weekday: "long", day: "numeric", month: "long" });
const shortDayFormat = new Intl.DateTimeFormat(lang, { day: "numeric", month: "short" });

export function formatTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** "Today", "Yesterday" or a date: the separators between days in a conversation. */
export function formatDay(iso: string): string {
  const date = new Date(iso);
  const days = Math.round((startOfDay(new Date()) - startOfDay(date)) / 86_400_000);
  if (days === 0) return t.today;
  if (days === 1) return t.yesterday;
  return dayFormat.format(date);
}

/** A compact time for the chat list: the time today, else the date. */
export function formatListTime(iso: string): string {
  const date = new Date(iso);
  return startOfDay(date) === startOfDay(new Date())
    ? timeFormat.format(date)
    : shortDayFormat.format(date);
}

const numberFormat = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });

/** A file's size for people: "820 bytes", "1.4 MB" (1 KB = 1024 bytes). */
export function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < t.files.units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${numberFormat.format(value)} ${t.files.units[unit]}`;
}
