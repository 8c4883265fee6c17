## connectid sign-in pages, messages and assets — Norwegian Bokmål (nb).
## Terminology: "Logg inn" / "Logg ut" / "Logget inn som"; never "brukernavn".

brand = CONNECT ID
language = Språk

## The first screen (data-step="identifier")
signin-title = Logg inn
identifier-label-phone = Telefonnummer
identifier-label-email = E-post
identifier-label-phone-or-email = Telefonnummer eller e-post
identifier-label-email-or-phone = E-post eller telefonnummer
identifier-placeholder-email = navn@example.com
identifier-locked = Denne tjenesten ba deg logge inn med dette telefonnummeret eller denne e-postadressen.
remember = Forbli innlogget
button-next = Neste

## Password (data-step="password")
password-title = Skriv inn passordet ditt
signing-in-as = Logger inn som { $identifier }
password-label = Passord
button-signin = Logg inn
not-you = Ikke deg? Bruk et annet telefonnummer eller en annen e-postadresse
forgot-password = Glemt passordet?

## One-time code (data-step="code")
code-title = Skriv inn koden
code-sent = Vi har sendt en sekssifret kode til { $identifier }.
code-label = Kode
button-continue = Fortsett
code-resend = Send ny kode

## Choose a password (data-step="set-password")
set-password-title = Velg et passord
set-password-for = For { $identifier }.
password-rules = Minst { $min ->
    [one] { $min } tegn
   *[other] { $min } tegn
  }. Unngå vanlige passord.
new-password-label = Nytt passord
strength-label = Passordstyrke
strength-0 = Svært svakt
strength-1 = Svakt
strength-2 = Middels
strength-3 = Godt
strength-4 = Sterkt

## Add an email (data-step="add-email")
add-email-title = Legg til e-postadressen din
add-email-text = { $client } trenger en e-postadresse til kontoen din. Vi sender deg en kode for å bekrefte den.
email-label = E-post

## Consent (data-step="consent")
consent-title = Vil du la { $client } bruke kontoen din?
signed-in-as = Logget inn som { $identifier }
scope-openid = Vite at det er deg
scope-profile = Navnet og språket ditt
scope-email = E-postadressen din
scope-phone = Telefonnummeret ditt
scope-offline_access = Være tilkoblet også når du ikke bruker tjenesten
scope-device_sso = Holde deg logget inn i utgiverens andre apper på denne enheten
button-allow = Tillat
button-deny = Ikke tillat

## Signing out
logout-title = Vil du logge ut av CONNECT ID?
button-signout = Logg ut
signed-out-title = Du er logget ut
signed-out-text = Du har logget ut av CONNECT ID på denne enheten.
signed-out-everywhere-title = Du er logget ut på alle enheter
signed-out-everywhere-text = Alle øktene for CONNECT ID-kontoen din er avsluttet: på denne enheten, på de andre enhetene dine og i alle tjenester.
signed-out-signin-again = Logg inn igjen

## Error pages (data-step="error")
error-title = Noe gikk galt
error-details-label = Detaljer for utviklerne av tjenesten:
error-reference = Referanse: { $id }
error-bad-request = Tjenesten sendte en innloggingsforespørsel som CONNECT ID ikke kan godta. Gå tilbake til tjenesten og prøv igjen.
error-unknown-client = Denne tjenesten er ikke registrert hos CONNECT ID.
error-signin-expired = Denne innloggingen er utløpt. Gå tilbake til tjenesten og start på nytt.
error-other-browser = Denne innloggingen ble startet i en annen nettleser. Gå tilbake til tjenesten og start på nytt.
error-form-expired = Skjemaet er utløpt. Gå tilbake og prøv igjen.
error-server = Noe gikk galt hos oss. Prøv igjen.
error-answer-not-sent = Svaret kunne ikke sendes til tjenesten.
error-not-found = Denne siden finnes ikke.
error-account-locked = CONNECT ID-kontoen din er låst. Kontakt tjenestens brukerstøtte for å få den låst opp.

## Messages shown above a form (role="alert")
err-identifier-empty = Skriv inn et telefonnummer eller en e-postadresse.
err-identifier-phone = Dette er ikke et gyldig telefonnummer.
err-identifier-email = Dette er ikke en gyldig e-postadresse.
err-enter-phone = Skriv inn et telefonnummer.
err-enter-email = Skriv inn en e-postadresse.
err-locked = Bruk telefonnummeret eller e-postadressen til kontoen du er logget inn med, eller velg «Ikke deg?».
err-hint-locked = Bruk telefonnummeret eller e-postadressen som denne tjenesten ba om.
err-no-sms = Denne tjenesten sender ikke koder på SMS. Logg inn med e-postadressen og passordet ditt.
err-sms-refused = Vi kan ikke sende kode på SMS til dette nummeret.
err-sms-refused-email = Vi kan ikke sende kode på SMS til dette nummeret. Logg inn med e-postadressen din i stedet.
err-sms-challenge = Før vi sender en kode, sjekker nettleseren din at du er et menneske. Det tar et øyeblikk.
challenge-working = Sjekker …
challenge-noscript = Denne sjekken trenger JavaScript. Uten det kan du logge inn med e-postadressen eller passordet ditt i stedet.
err-sms-budget = Vi kan ikke sende flere koder på SMS i dag. Prøv igjen i morgen.
err-resend-wait = En kode ble nettopp sendt. Vent { $seconds ->
    [one] { $seconds } sekund
   *[other] { $seconds } sekunder
  } før du ber om en ny.
err-too-many-sends = For mange koder er sendt til dette nummeret eller denne adressen. Prøv igjen om en time.
err-send-failed = Koden kunne ikke sendes. Prøv igjen om litt.
err-unavailable = Dette kan ikke gjøres akkurat nå. Prøv igjen om noen minutter.
err-too-many-passwords = For mange feil passord. Vent { $minutes ->
    [one] { $minutes } minutt
   *[other] { $minutes } minutter
  } og prøv igjen.
err-too-many-attempts = For mange forsøk. Vent { $minutes ->
    [one] { $minutes } minutt
   *[other] { $minutes } minutter
  } og prøv igjen.
err-password-wrong = Feil passord. Prøv igjen.
err-code-expired = Koden er utløpt. Be om en ny.
err-code-too-many = For mange feil koder. Be om en ny.
err-code-wrong = Koden er feil. Sjekk den og prøv igjen.
err-conflict = Noe ble endret i mellomtiden. Prøv igjen.
err-password-short = Passordet må ha minst { $min ->
    [one] { $min } tegn
   *[other] { $min } tegn
  }.
err-password-long = Passordet er for langt (høyst 128 byte).
err-password-common = Dette passordet er for vanlig. Velg et annet.
err-password-weak = Dette passordet er for lett å gjette. Gjør det lengre eller mindre forutsigbart.
err-password-identifier = Passordet kan ikke være telefonnummeret eller e-postadressen din.
err-email-taken = Denne e-postadressen hører til en annen konto. Bruk en annen e-postadresse.

## SMS and email texts (the WebOTP line is added after the SMS text)
sms-code = CONNECT ID-koden din er { $code }. Den utløper om 5 minutter.
email-code-subject = CONNECT ID-koden din
email-code-body = CONNECT ID-koden din er { $code }. Den utløper om 5 minutter. Hvis du ikke prøvde å logge inn, kan du se bort fra denne e-posten.
password-changed-subject = Passordet ditt for CONNECT ID er endret
password-changed-body = Passordet til CONNECT ID-kontoen din er endret. Hvis det ikke var deg, må du tilbakestille passordet med en gang.

## The "Sign in with CONNECT ID" button
signin-button = Logg inn med CONNECT ID

## The flow previewer (/flow-previewer)
previewer-title = Forhåndsvisning av innloggingen
previewer-intro = Se hvert innloggingstrinn slik folk vil se det med innstillingene til tjenesten din. Ingenting blir sendt, og ingen blir logget inn.
previewer-client-id = Klient-ID for en registrert tjeneste
previewer-metadata = Eller lim inn klientmetadata (JSON)
previewer-step = Trinn
previewer-login-hint = Telefonnummer eller e-post som skal fylles ut (login_hint)
previewer-locked = Bare dette telefonnummeret eller denne e-postadressen kan logge inn (login_hint_locked)
previewer-show = Vis forhåndsvisning
previewer-banner = Forhåndsvisning av trinnet «{ $step }». Skjemaene her sender ingenting.
previewer-back = Endre innstillingene
previewer-unknown-client = Ingen tjeneste er registrert med denne klient-ID-en.
previewer-need-client = Skriv inn en klient-ID eller lim inn klientmetadata.
previewer-invalid-metadata = Disse klientmetadataene er ikke gyldige.

## My account (/account): data-step="account", "account-password", "account-add",
## "account-services", "account-delete"
account-title = Min konto
account-nav = Konto
account-phones = Telefonnumre
account-emails = E-postadresser
account-none = Ingen ennå
account-unverified = Ikke bekreftet
account-remove = Fjern
account-remove-label = Fjern { $identifier }
account-add-phone = Legg til et telefonnummer
account-add-email = Legg til en e-postadresse
account-add-text = Vi sender deg en bekreftelseskode.
account-password = Passord
account-password-change = Endre passord
account-password-set = Velg et passord
account-password-none = Du logger bare inn med koder.
account-services = Tilkoblede tjenester
account-services-text = Tjenester du har logget inn på med CONNECT ID. Hvis du kobler fra en tjeneste, blir du logget ut av den og må logge inn på nytt.
account-services-none = Ingen tjenester er koblet til kontoen din.
account-services-manage = Se og koble fra tjenestene dine
account-disconnect = Koble fra
account-disconnect-label = Koble fra { $service }
account-signout-everywhere = Logg ut på alle enheter
account-signout-everywhere-text = Avslutter øktene dine på alle enheter og i alle tjenester, også denne.
account-delete = Slett konto
account-delete-text = Kontoen din blir slettet sammen med telefonnumrene og e-postadressene, og du blir logget ut av alle tjenester. Dette kan ikke angres.
account-delete-confirm = Slett kontoen min
account-deleted-title = Kontoen din er slettet
account-deleted-text = CONNECT ID-kontoen din og alt som var lagret i den, er slettet.
account-back = Tilbake til { $service }
## Removing a phone number or email address: a confirmation (data-step="account-remove"),
## after confirming who it is (the sign-in page says why it asks)
account-remove-title = Vil du fjerne { $identifier }?
account-remove-text = Du kan ikke lenger logge inn med { $identifier }, og vi sender ikke flere koder dit.
account-remove-confirm = Fjern
account-reauth-reason = For å endre kontoen din må du først bekrefte at det er deg.
button-cancel = Avbryt
button-save = Lagre
button-add = Legg til
notice-password-changed = Passordet ditt er endret. Du er logget ut på de andre enhetene dine.
notice-identifier-added = { $identifier } er lagt til i kontoen din.
notice-identifier-removed = { $identifier } er fjernet fra kontoen din.
notice-service-disconnected = { $service } er koblet fra.
err-last-identifier = Du kan ikke fjerne det siste telefonnummeret eller den siste e-postadressen din.
err-identifier-taken = Dette telefonnummeret eller denne e-postadressen hører til en annen konto.
err-identifier-known = Dette telefonnummeret eller denne e-postadressen er allerede lagt til i kontoen din.
identifier-added-subject = Et nytt telefonnummer eller en ny e-postadresse er lagt til i CONNECT ID-kontoen din
identifier-added-body = { $identifier } er lagt til i CONNECT ID-kontoen din. Hvis det ikke var deg, må du logge inn, fjerne det og endre passordet.

## Pre-authenticated URLs (/preauth/…, data-step="preauth"), and its error page
preauth-title = Fortsette som { $identifier }?
preauth-text = { $service } åpner en side for deg der du er logget inn med CONNECT ID. Fortsett bare hvis du selv åpnet den fra appen.
error-link-used = Lenken har utløpt eller er allerede brukt. Gå tilbake til appen og prøv igjen.

## The start page (/): data-step="home"
home-text = Tjenester sender deg hit når du skal logge inn med CONNECT ID. Du kan også administrere kontoen din her.
home-demo = Prøv demotjenestene
home-discovery = OpenID Connect Discovery (for utviklere)
