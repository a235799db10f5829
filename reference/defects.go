package reference

import (
	"reflect"
	"runtime"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/authn/jwtauth"
	"github.com/authspec/authspec/reference/authn/scramhttp"
	"github.com/authspec/authspec/reference/authz"
	"github.com/authspec/authspec/reference/faults"
	"github.com/authspec/authspec/reference/jwks"
)

// This file is the composition root of the deliberate defects: the only
// place that turns the catalogue's fault names (reference/faults) into the
// option values each behaviour package takes at construction. Behaviour
// packages never import the catalogue (reference/faults/imports_test.go enforces it); they
// expose their defects as options, for the self-test only.

// defectOptions are the options a fault list switches on, by package.
type defectOptions struct {
	glue  []brokerDefect
	chain []authn.Defect
	scram []scramhttp.Defect
	acl   []authz.Defect
	jwt   []jwtauth.Defect
	jwks  []jwks.Defect
}

func jwt(d jwtauth.Defect) func(*defectOptions) {
	return func(o *defectOptions) { o.jwt = append(o.jwt, d) }
}

func jwksd(d jwks.Defect) func(*defectOptions) {
	return func(o *defectOptions) { o.jwks = append(o.jwks, d) }
}

func acl(d authz.Defect) func(*defectOptions) {
	return func(o *defectOptions) { o.acl = append(o.acl, d) }
}

func scramd(d scramhttp.Defect) func(*defectOptions) {
	return func(o *defectOptions) { o.scram = append(o.scram, d) }
}

func chain(d authn.Defect) func(*defectOptions) {
	return func(o *defectOptions) { o.chain = append(o.chain, d) }
}

func glue(d brokerDefect) func(*defectOptions) {
	return func(o *defectOptions) { o.glue = append(o.glue, d) }
}

// defectWiring is, for every fault of the catalogue whose defect lives in
// a behaviour package, the option it sets. A fault may set options in
// several packages.
var defectWiring = map[faults.Name][]func(*defectOptions){
	faults.ACLClaimNameIgnored:            {jwt(jwtauth.ACLClaimNameIgnored())},
	faults.AcceptAlgNone:                  {jwt(jwtauth.AcceptAlgNone())},
	faults.AlgCaseInsensitive:             {jwt(jwtauth.AlgCaseInsensitive())},
	faults.AllowEmptyClaimName:            {jwt(jwtauth.AllowEmptyClaimName())},
	faults.AudStringOnly:                  {jwt(jwtauth.AudStringOnly())},
	faults.CheckIat:                       {jwt(jwtauth.IatChecked())},
	faults.ClaimNamesCaseInsensitive:      {jwt(jwtauth.ClaimNamesCaseInsensitive())},
	faults.ClaimsBeforeSignature:          {jwt(jwtauth.ClaimsBeforeSignature())},
	faults.ClientAttrsIgnored:             {jwt(jwtauth.ClientAttrsIgnored())},
	faults.ClientAttrsKeepBadKeys:         {jwt(jwtauth.ClientAttrsKeepBadKeys())},
	faults.ClientAttrsStringified:         {jwt(jwtauth.ClientAttrsStringified())},
	faults.DisconnectSettingIgnored:       {jwt(jwtauth.DisconnectSettingIgnored())},
	faults.ECDSAPsychicSignatures:         {jwt(jwtauth.ECDSAPsychicSignatures())},
	faults.EmptyPasswordIsMissing:         {jwt(jwtauth.EmptyPasswordIsMissing())},
	faults.ExpInclusive:                   {jwt(jwtauth.ExpInclusive())},
	faults.FetchHeaderURLs:                {jwt(jwtauth.FetchHeaderURLs())},
	faults.FractionalExpTruncated:         {jwt(jwtauth.FractionalExpTruncated())},
	faults.HMACAcceptInvalidBase64:        {jwt(jwtauth.HMACAcceptInvalidBase64())},
	faults.HMACIgnoreSecretBase64:         {jwt(jwtauth.HMACIgnoreSecretBase64())},
	faults.HMACKeyConfusion:               {jwt(jwtauth.HMACKeyConfusion())},
	faults.HMACOnlyHS256:                  {jwt(jwtauth.HMACOnlyHS256())},
	faults.IgnoreB64:                      {jwt(jwtauth.IgnoreB64())},
	faults.CritB64Understood:              {jwt(jwtauth.CritB64Understood())},
	faults.IgnoreClientIDOverride:         {jwt(jwtauth.IgnoreClientIDOverride())},
	faults.IgnoreCrit:                     {jwt(jwtauth.IgnoreCrit())},
	faults.IgnoreVerifyClaims:             {jwt(jwtauth.IgnoreVerifyClaims())},
	faults.JSONFirstDuplicateWins:         {jwt(jwtauth.JSONFirstDuplicateWins())},
	faults.JWKSAcceptsHMAC:                {jwt(jwtauth.JWKSAcceptsHMAC()), jwksd(jwks.AcceptsHMAC())},
	faults.JWKSHeaderNamesUnchecked:       {jwt(jwtauth.JWKSHeaderNamesUnchecked())},
	faults.JWKSUseKid:                     {jwt(jwtauth.JWKSUseKid())},
	faults.JWKSZeroIntervalDefault:        {jwt(jwtauth.JWKSZeroIntervalDefault())},
	faults.JWTHandlesAuthMethod:           {jwt(jwtauth.JWTHandlesAuthMethod())},
	faults.JWTIgnoresMQTT3:                {jwt(jwtauth.JWTIgnoresMQTT3())},
	faults.LenientJSONText:                {jwt(jwtauth.LenientJSONText())},
	faults.LenientTokenFormat:             {jwt(jwtauth.LenientTokenFormat())},
	faults.MissingJWTAccept:               {jwt(jwtauth.MissingJWTAccept())},
	faults.OIDCKeysFromTokenIssuer:        {jwt(jwtauth.OIDCKeysFromTokenIssuer())},
	faults.OIDCLastKeyOnly:                {jwt(jwtauth.OIDCLastKeyOnly())},
	faults.OIDCRSAKeysOnly:                {jwt(jwtauth.OIDCRSAKeysOnly())},
	faults.PKAcceptsHMAC:                  {jwt(jwtauth.PKAcceptsHMAC())},
	faults.PKDocsAlgsOnly:                 {jwt(jwtauth.PKDocsAlgsOnly())},
	faults.PKLazyKeyParse:                 {jwt(jwtauth.PKLazyKeyParse())},
	faults.PSSSaltLengthAuto:              {jwt(jwtauth.PSSSaltLengthAuto())},
	faults.RequireExp:                     {jwt(jwtauth.RequireExp())},
	faults.SkipExp:                        {jwt(jwtauth.SkipExp())},
	faults.SkipNbf:                        {jwt(jwtauth.SkipNbf())},
	faults.SkipSignature:                  {jwt(jwtauth.SkipSignature())},
	faults.StrictKidTyp:                   {jwt(jwtauth.StrictKidTyp())},
	faults.SuperuserBoolOnly:              {jwt(jwtauth.SuperuserBoolOnly())},
	faults.SuperuserTruthy:                {jwt(jwtauth.SuperuserTruthy())},
	faults.TimeClaimsLenient:              {jwt(jwtauth.TimeClaimsLenient())},
	faults.TimeClaimsOutOfRange:           {jwt(jwtauth.TimeClaimsOutOfRangeAbsent())},
	faults.TimeClaimsNumbersOnly:          {jwt(jwtauth.TimeClaimsNumbersOnly())},
	faults.TokenAlwaysFromPassword:        {jwt(jwtauth.TokenAlwaysFromPassword())},
	faults.TokenAlwaysFromUsername:        {jwt(jwtauth.TokenAlwaysFromUsername())},
	faults.TokenFromEitherField:           {jwt(jwtauth.TokenFromEitherField())},
	faults.TokenFromOtherFieldWhenMissing: {jwt(jwtauth.TokenFromOtherFieldWhenMissing())},
	faults.TrustHeaderJWK:                 {jwt(jwtauth.TrustHeaderJWK())},
	faults.TrustHeaderKeys:                {jwt(jwtauth.TrustHeaderKeys())},
	faults.UnknownPlaceholdersEmpty:       {jwt(jwtauth.UnknownPlaceholdersEmpty())},
	faults.VerifyClaimsCaseInsensitive:    {jwt(jwtauth.VerifyClaimsCaseInsensitive())},
	faults.VerifyClaimsNoTemplates:        {jwt(jwtauth.VerifyClaimsNoTemplates())},
	faults.VerifyClaimsScalarText:         {jwt(jwtauth.VerifyClaimsScalarText())},
	faults.JWKSNoRefresh:                  {jwksd(jwks.NoRefresh())},
	faults.JWKSMergeSets:                  {jwksd(jwks.MergeSets())},
	faults.JWKSFirstKeyOnly:               {jwksd(jwks.FirstKeyOnly())},
	faults.JWKSStrictAlg:                  {jwksd(jwks.StrictAlg())},
	faults.JWKSDropHeaders:                {jwksd(jwks.DropHeaders())},
	faults.JWKSDropOnFirstFailure:         {jwksd(jwks.DropOnFirstFailure())},
	faults.JWKSNeverDrop:                  {jwksd(jwks.NeverDrop())},
	faults.JWKSFailCountNotReset:          {jwksd(jwks.FailCountNotReset())},
	faults.JWKSCheckStatus:                {jwksd(jwks.CheckStatus())},
	faults.JWKSAcceptSingleJWK:            {jwksd(jwks.AcceptSingleJWK())},
	faults.JWKSEmptySetIsFailure:          {jwksd(jwks.EmptySetIsFailure())},
	faults.JWKSSyncFirstFetch:             {jwksd(jwks.SyncFirstFetch())},
	faults.JWKSFetchOnMiss:                {jwksd(jwks.FetchOnMiss())},
	faults.JWKSNoIntervalClamp:            {jwksd(jwks.NoIntervalClamp())},
	faults.JWKSTLSSkipVerify:              {jwksd(jwks.TLSSkipVerify())},
	faults.JWKSTLSAlwaysVerify:            {jwksd(jwks.TLSAlwaysVerify())},
	faults.JWKSConnectWaitsOnFetch:        {jwksd(jwks.ConnectWaitsOnFetch())},
	faults.JWKSUnboundedBody:              {jwksd(jwks.UnboundedBody())},
	faults.JWKSNoRequestDeadline:          {jwksd(jwks.NoRequestDeadline())},
	faults.ACLActionAliasesUnknown:        {acl(authz.ActionAliasesUnknown())},
	faults.ACLClientAttrsNotRendered:      {acl(authz.ClientAttrsNotRendered())},
	faults.ACLDollarTopicsUnguarded:       {acl(authz.DollarTopicsUnguarded())},
	faults.ACLEqPrefixIgnored:             {acl(authz.EqPrefixIgnored())},
	faults.ACLExpiryIgnored:               {acl(authz.ExpiryIgnored())},
	faults.ACLHardenedPlaceholdersOK:      {acl(authz.HardenedPlaceholdersOK())},
	faults.ACLInvalidRulesSkipped:         {acl(authz.InvalidRulesSkipped())},
	faults.ACLLastMatchWins:               {acl(authz.LastMatchWins())},
	faults.ACLNewFormatDenyOnNoMatch:      {acl(authz.NewFormatDenyOnNoMatch())},
	faults.ACLNoRulesDeny:                 {acl(authz.NoRulesDeny())},
	faults.ACLOldFormatFallThrough:        {acl(authz.OldFormatFallThrough())},
	faults.ACLPlaceholdersNotRendered:     {acl(authz.PlaceholdersNotRendered())},
	faults.ACLPlusMultiLevel:              {acl(authz.PlusMultiLevel())},
	faults.ACLPlusRejectsWildcardLevel:    {acl(authz.PlusRejectsWildcardLevel())},
	faults.ACLQoSRetainIgnored:            {acl(authz.QoSRetainIgnored())},
	faults.ACLSharePrefixKept:             {acl(authz.SharePrefixKept())},
	faults.ACLSuperuserIgnored:            {acl(authz.SuperuserIgnored())},
	faults.ACLUnsafePlaceholderValues:     {acl(authz.UnsafePlaceholderValues())},
	faults.ACLWhoFiltersIgnored:           {acl(authz.WhoFiltersIgnored())},
	faults.ACLWrongTypeIgnored:            {acl(authz.WrongTypeIgnored())},
	faults.ScramAcceptChannelBinding:      {scramd(scramhttp.AcceptChannelBinding())},
	faults.ScramAcceptNon200:              {scramd(scramhttp.AcceptNon200())},
	faults.ScramAnyScramMethod:            {scramd(scramhttp.AnyScramMethod())},
	faults.ScramClientAttrsStringified:    {scramd(scramhttp.ClientAttrsStringified())},
	faults.ScramClientIDOverrideHonoured:  {scramd(scramhttp.ClientIDOverrideHonoured())},
	faults.ScramDenyWithoutAuthMethod:     {scramd(scramhttp.DenyWithoutAuthMethod())},
	faults.ScramExpireAtMillis:            {scramd(scramhttp.ExpireAtMillis())},
	faults.ScramExpireAtNoDisconnect:      {scramd(scramhttp.ExpireAtNoDisconnect())},
	faults.ScramHonourResultField:         {scramd(scramhttp.HonourResultField())},
	faults.ScramIgnoreContentType:         {scramd(scramhttp.IgnoreContentType())},
	faults.ScramInvalidACLDropped:         {scramd(scramhttp.InvalidACLDropped())},
	faults.ScramIterationFromAnswer:       {scramd(scramhttp.IterationFromAnswer())},
	faults.ScramNoDefaultHeaders:          {scramd(scramhttp.NoDefaultHeaders())},
	faults.ScramNoRequestTimeout:          {scramd(scramhttp.NoRequestTimeout())},
	faults.ScramPostFormAsJSON:            {scramd(scramhttp.PostFormAsJSON())},
	faults.ScramReauthRefused:             {scramd(scramhttp.ReauthRefused())},
	faults.ScramSaltAsText:                {scramd(scramhttp.SaltAsText())},
	faults.ScramSkipFinalNonceCheck:       {scramd(scramhttp.SkipFinalNonceCheck())},
	faults.ScramSkipProofCheck:            {scramd(scramhttp.SkipProofCheck())},
	faults.ScramSuperuserIgnored:          {scramd(scramhttp.SuperuserIgnored())},
	faults.ScramTwoBackendRequests:        {scramd(scramhttp.TwoBackendRequests())},
	faults.ScramUsernameFromConnect:       {scramd(scramhttp.UsernameFromConnect())},
	faults.ScramV311BadCredentials:        {scramd(scramhttp.V311BadCredentials())},
	faults.ScramWrongPassword0x86:         {scramd(scramhttp.WrongPassword0x86())},
	faults.ScramWrongServerSignature:      {scramd(scramhttp.WrongServerSignature())},
	faults.BackendFailureDenies:           {chain(authn.BackendFailureDenies())},
	faults.ChainAllIgnoredAccept:          {chain(authn.ChainAllIgnoredAccept())},
	faults.ChainStopOnIgnore:              {chain(authn.ChainStopOnIgnore())},
	faults.EmptyChainDeny:                 {chain(authn.EmptyChainDeny())},
	faults.IgnorePrecondition:             {chain(authn.IgnorePrecondition())},
	faults.AcceptAuthWithoutMethod:        {glue(defectAcceptAuthWithoutMethod())},
	faults.AuthStepIdleTimeout:            {glue(defectAuthStepIdleTimeout())},
	faults.ConnectReadInAcceptLoop:        {glue(defectConnectReadInAcceptLoop())},
	faults.DeliveriesReauthorized:         {glue(defectDeliveriesReauthorized())},
	faults.DeniedWillDelivered:            {glue(defectDeniedWillDelivered())},
	faults.DenyAckedAsSuccess:             {glue(defectDenyAckedAsSuccess())},
	faults.DenyActionIgnored:              {glue(defectDenyActionIgnored())},
	faults.FirstPacketHeld:                {glue(defectFirstPacketHeld())},
	faults.IgnoreAuthMethodMismatch:       {glue(defectIgnoreAuthMethodMismatch())},
	faults.IgnoreAuthReasonCode:           {glue(defectIgnoreAuthReasonCode())},
	faults.MochiV3ReturnCodes:             {glue(defectMochiV3ReturnCodes())},
	faults.NoExpiryDisconnect:             {glue(defectNoExpiryDisconnect())},
	faults.NoMaxPacketSize:                {glue(defectNoMaxPacketSize())},
	faults.QoS0DenyDelivered:              {glue(defectQoS0DenyDelivered())},
	faults.SecondConnectIgnored:           {glue(defectSecondConnectIgnored())},
	faults.SubackDeniesAll:                {glue(defectSubackDeniesAll())},
	faults.V311DenyDisconnects:            {glue(defectV311DenyDisconnects())},
	faults.V311SubackKeepsV5Code:          {glue(defectV311SubackKeepsV5Code())},
	faults.WillAuthorizedAfterExpiry:      {glue(defectWillAuthorizedAfterExpiry())},
}

// defectsFor collects the options of the named faults, refusing a name the
// catalogue does not declare.
func defectsFor(names []string) (defectOptions, error) {
	var o defectOptions
	fs, err := faults.NewSet(names...)
	if err != nil {
		return o, err
	}
	for name, sets := range defectWiring {
		if !fs.On(name) {
			continue
		}
		for _, set := range sets {
			set(&o)
		}
	}
	return o, nil
}

// DefectSite is one option a fault sets: the option's function as the
// runtime names it and where it is written.
type DefectSite struct {
	Func string
	File string
	Line int
}

// DefectSites lists the options the named fault sets, for tools that show
// where a fault lives (`authspec explain`). A fault that sets no option of
// a behaviour package (one the broker's wiring handles itself) has none.
func DefectSites(name string) ([]DefectSite, error) {
	o, err := defectsFor([]string{name})
	if err != nil {
		return nil, err
	}
	var fns []any
	fns = appendAny(fns, o.glue)
	fns = appendAny(fns, o.chain)
	fns = appendAny(fns, o.scram)
	fns = appendAny(fns, o.acl)
	fns = appendAny(fns, o.jwt)
	fns = appendAny(fns, o.jwks)
	sites := make([]DefectSite, 0, len(fns))
	for _, f := range fns {
		fn := runtime.FuncForPC(reflect.ValueOf(f).Pointer())
		if fn == nil {
			continue
		}
		file, line := fn.FileLine(fn.Entry())
		sites = append(sites, DefectSite{Func: fn.Name(), File: file, Line: line})
	}
	return sites, nil
}

func appendAny[T any](out []any, xs []T) []any {
	for _, x := range xs {
		out = append(out, x)
	}
	return out
}
