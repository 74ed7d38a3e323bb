package law

import "slices"

// Topic is a catalog tag from the closed vocabulary below. Topics are the
// catalog's own classification (written for this tool), never legal text.
type Topic = string

// The closed topic vocabulary. Identifiers are stable: rules and saved
// filters refer to them.
const (
	TopicConsent           Topic = "consent"            // consent, separate consent, withdrawal
	TopicNotice            Topic = "notice"             // privacy policy, processing rules, notice of purpose/method/scope
	TopicMinimumNecessity  Topic = "minimum_necessity"  // necessity, over-scope collection, necessary PI
	TopicPurpose           Topic = "purpose"            // purpose limitation, use beyond purpose
	TopicThirdParty        Topic = "third_party"        // sharing, entrusted processing, joint handlers, transfer
	TopicSDK               Topic = "sdk"                // SDKs and third-party service providers
	TopicPermission        Topic = "permission"         // system permissions
	TopicSensitive         Topic = "sensitive"          // sensitive personal information
	TopicRetention         Topic = "retention"          // storage period, record keeping
	TopicRights            Topic = "rights"             // access, copy, correction, portability, explanation
	TopicDeletion          Topic = "deletion"           // deletion of personal information
	TopicCancellation      Topic = "cancellation"       // account cancellation
	TopicMinors            Topic = "minors"             // children under 14, guardians
	TopicCrossBorder       Topic = "cross_border"       // cross-border provision, localisation, extraterritorial rules
	TopicSecurity          Topic = "security"           // security measures, breaches, audits, impact assessments
	TopicFrequency         Topic = "frequency"          // collection or request frequency
	TopicSelfStart         Topic = "self_start"         // self-start, associated start, wake-up
	TopicAdvertising       Topic = "advertising"        // targeted push, personalised ads and recommendations
	TopicComplaint         Topic = "complaint"          // complaints and reporting channels
	TopicDistribution      Topic = "distribution"       // app stores, distribution platforms, large platforms
	TopicDownload          Topic = "download"           // deceptive or forced download, install, uninstall
	TopicPopup             Topic = "popup"              // pop-ups, close buttons, shake-to-jump, heat maps
	TopicBilling           Topic = "billing"            // fees, memberships, auto-renewal
	TopicRefusalOfService  Topic = "refusal_of_service" // refusing service when the user declines
	TopicAutomatedDecision Topic = "automated_decision" // automated decision-making
	TopicTerminal          Topic = "terminal"           // smart terminals, terminal makers, network access
	TopicLiability         Topic = "liability"          // penalties, civil and criminal liability
	TopicSupervision       Topic = "supervision"        // regulators, inspections, duties of authorities
	TopicGeneral           Topic = "general"            // purpose of the law, scope, definitions, principles, dates
)

var topicVocabulary = []Topic{
	TopicConsent, TopicNotice, TopicMinimumNecessity, TopicPurpose, TopicThirdParty, TopicSDK,
	TopicPermission, TopicSensitive, TopicRetention, TopicRights, TopicDeletion, TopicCancellation,
	TopicMinors, TopicCrossBorder, TopicSecurity, TopicFrequency, TopicSelfStart, TopicAdvertising,
	TopicComplaint, TopicDistribution, TopicDownload, TopicPopup, TopicBilling, TopicRefusalOfService,
	TopicAutomatedDecision, TopicTerminal, TopicLiability, TopicSupervision, TopicGeneral,
}

// Topics returns the closed topic vocabulary in a stable order.
func Topics() []Topic { return slices.Clone(topicVocabulary) }

// ValidTopic reports whether t belongs to the vocabulary.
func ValidTopic(t string) bool { return slices.Contains(topicVocabulary, t) }

// rawTopics maps the free-form tags of the regulation files (written by the
// research pass, see data/README.md) onto the closed vocabulary. A vocabulary
// name is also accepted as a raw tag (identity), so imported files may use it
// directly.
var rawTopics = map[string][]Topic{
	"15_working_days":      {TopicCancellation},
	"access":               {TopicRights},
	"access_control":       {TopicSecurity},
	"account_cancellation": {TopicCancellation},
	"accountability":       {TopicSecurity},
	"administrative_licensing_for_processing": {TopicGeneral},
	"advance_permission_requests":             {TopicPermission},
	"app_developer_operator":                  {TopicGeneral},
	"app_stores":                              {TopicDistribution},
	"associated_start":                        {TopicSelfStart},
	"audit_order":                             {TopicSupervision},
	"auto_renewal":                            {TopicBilling},
	"automated_decision_making":               {TopicAutomatedDecision},
	"background_collection":                   {TopicMinimumNecessity},
	"basic_function_service":                  {TopicMinimumNecessity},
	"blacklist":                               {TopicCrossBorder},
	"breach_notification":                     {TopicSecurity},
	"breach_response":                         {TopicSecurity},
	"bundling":                                {TopicConsent, TopicRefusalOfService},
	"camera_microphone":                       {TopicPermission},
	"civil_liability":                         {TopicLiability},
	"classification":                          {TopicSecurity},
	"collected_pi_list":                       {TopicNotice},
	"collection_use_rules_publication":        {TopicNotice},
	"collection_without_consent":              {TopicConsent},
	"complaints":                              {TopicComplaint},
	"complaints_mechanism":                    {TopicComplaint},
	"complaints_reporting":                    {TopicComplaint},
	"compliance_audit":                        {TopicSecurity},
	"confidentiality":                         {TopicSecurity},
	"confiscation":                            {TopicLiability},
	"contacts_call_log_sms":                   {TopicPermission},
	"copy":                                    {TopicRights},
	"correction":                              {TopicRights},
	"credit_records":                          {TopicLiability},
	"crime_referral":                          {TopicLiability},
	"damages":                                 {TopicLiability},
	"data_quality":                            {TopicGeneral},
	"deceased_persons":                        {TopicRights},
	"deceptive_collection_id_biometrics":      {TopicConsent, TopicSensitive},
	"deceptive_download":                      {TopicDownload},
	"definition_necessary_pi":                 {TopicGeneral, TopicMinimumNecessity},
	"definition_personal_information":         {TopicGeneral},
	"definition_processing":                   {TopicGeneral},
	"definition_user_personal_information":    {TopicGeneral},
	"definitions":                             {TopicGeneral},
	"definitions_handler_automated_decision_deidentification_anonymization": {TopicGeneral},
	"deletion_anonymisation":                     {TopicDeletion},
	"deletion_correction":                        {TopicDeletion, TopicRights},
	"distribution_platform":                      {TopicDistribution},
	"domestic_storage":                           {TopicCrossBorder},
	"download_install_consent":                   {TopicDownload},
	"duty_to_cooperate":                          {TopicSupervision},
	"dynamic_permission_request":                 {TopicPermission},
	"effective_date":                             {TopicGeneral},
	"encryption":                                 {TopicSecurity},
	"entrusted_agents":                           {TopicThirdParty},
	"entrusted_party_obligations":                {TopicThirdParty},
	"entrusted_processing":                       {TopicThirdParty},
	"exclusions_personal_household":              {TopicGeneral},
	"explanation_of_rules":                       {TopicRights},
	"extraterritorial":                           {TopicCrossBorder},
	"fines_up_to_50m_or_5pct":                    {TopicLiability},
	"first_launch_popup":                         {TopicNotice},
	"five_subject_types":                         {TopicGeneral},
	"forced_permissions":                         {TopicPermission, TopicRefusalOfService},
	"foreign_judicial_requests":                  {TopicCrossBorder},
	"frequent_permission_requests":               {TopicPermission, TopicFrequency},
	"full_screen_heatmap":                        {TopicPopup},
	"gatekeeper_platforms":                       {TopicDistribution},
	"guardian_consent":                           {TopicMinors, TopicConsent},
	"incident_plan":                              {TopicSecurity},
	"independent_oversight":                      {TopicSecurity},
	"individual_rights":                          {TopicRights},
	"informed_consent":                           {TopicConsent, TopicNotice},
	"informed_voluntary_explicit":                {TopicConsent},
	"internal_management":                        {TopicSecurity},
	"international_cooperation":                  {TopicCrossBorder},
	"interviews_with_handlers":                   {TopicSupervision},
	"joint_handlers":                             {TopicThirdParty},
	"lawful_basis":                               {TopicConsent},
	"lawfulness_legitimacy_necessity_good_faith": {TopicGeneral},
	"legal_basis":                                {TopicGeneral},
	"legitimate_purpose":                         {TopicPurpose},
	"licence_and_annual_inspection_review":       {TopicSupervision},
	"litigation":                                 {TopicRights},
	"localization":                               {TopicCrossBorder},
	"membership_fees_disclosure":                 {TopicBilling},
	"mini_programs":                              {TopicGeneral},
	"minors_under_14":                            {TopicMinors, TopicSensitive},
	"national_coordination":                      {TopicSupervision},
	"necessary_pi_by_app_type":                   {TopicMinimumNecessity},
	"necessity":                                  {TopicMinimumNecessity},
	"network_access_provider":                    {TopicTerminal},
	"no_advance_permission_request":              {TopicPermission},
	"no_background_use":                          {TopicPermission},
	"no_bundled_permissions":                     {TopicPermission},
	"no_changing_permission_state":               {TopicPermission},
	"no_default_checkbox":                        {TopicConsent},
	"no_excessive_collection":                    {TopicMinimumNecessity},
	"no_forced_consent":                          {TopicConsent, TopicRefusalOfService},
	"no_forced_exit":                             {TopicPermission, TopicRefusalOfService},
	"no_frequent_popups":                         {TopicPopup, TopicFrequency},
	"no_misleading_fraud_coercion":               {TopicConsent},
	"no_processing_before_consent":               {TopicConsent},
	"no_refusal_of_basic_function":               {TopicRefusalOfService},
	"no_refusal_of_service":                      {TopicRefusalOfService},
	"no_refusal_of_service_for_non_consent":      {TopicRefusalOfService},
	"no_self_wakeup_invoke_update":               {TopicSelfStart},
	"no_sharing_without_consent":                 {TopicThirdParty, TopicConsent},
	"notice_exceptions":                          {TopicNotice},
	"notice_necessity_and_impact":                {TopicNotice},
	"notice_purpose_method_scope":                {TopicNotice},
	"openness_transparency":                      {TopicNotice},
	"opt_out":                                    {TopicAdvertising},
	"over_scope_collection":                      {TopicMinimumNecessity},
	"overseas_handler_representative":            {TopicCrossBorder},
	"penalties":                                  {TopicLiability},
	"permission_purpose_notice":                  {TopicPermission, TopicNotice},
	"permissions":                                {TopicPermission},
	"personalized_ads":                           {TopicAdvertising},
	"personalized_recommendation_opt_out":        {TopicAdvertising},
	"pi_impact_assessment_contents":              {TopicSecurity},
	"pi_impact_assessment_triggers":              {TopicSecurity},
	"pi_protection_officer":                      {TopicSecurity},
	"platform_rules":                             {TopicDistribution},
	"popup_close_button":                         {TopicPopup},
	"portability":                                {TopicRights},
	"presumed_fault":                             {TopicLiability},
	"principles":                                 {TopicGeneral},
	"principles_legality_legitimacy_necessity":   {TopicGeneral, TopicMinimumNecessity},
	"privacy_policy":                             {TopicNotice},
	"privacy_policy_contents":                    {TopicNotice},
	"privacy_policy_popup":                       {TopicNotice},
	"processing_rules":                           {TopicNotice},
	"processing_rules_disclosure":                {TopicNotice},
	"processor_contract":                         {TopicThirdParty},
	"prohibited_processing":                      {TopicGeneral},
	"protection_of_pi_rights":                    {TopicGeneral},
	"public_disclosure":                          {TopicThirdParty},
	"public_interest_litigation":                 {TopicLiability},
	"public_security_and_criminal_liability":     {TopicLiability},
	"public_surveillance_cameras":                {TopicGeneral},
	"publicly_available_pi":                      {TopicGeneral},
	"purpose_limitation":                         {TopicPurpose},
	"re_consent_on_change":                       {TopicConsent, TopicPurpose},
	"reciprocity":                                {TopicCrossBorder},
	"record_retention_3_years":                   {TopicRetention},
	"rectification_order":                        {TopicLiability},
	"regulator_confidentiality":                  {TopicSupervision},
	"regulator_duties":                           {TopicSupervision},
	"regulator_inspection":                       {TopicSupervision},
	"regulator_powers":                           {TopicSupervision},
	"regulators":                                 {TopicSupervision},
	"reporting":                                  {TopicComplaint},
	"responsibility_for_security":                {TopicSecurity},
	"restrict_or_refuse":                         {TopicRights},
	"retention_minimum":                          {TopicRetention},
	"right_to_know_and_decide":                   {TopicRights},
	"rights_request_mechanism":                   {TopicRights},
	"scope":                                      {TopicGeneral},
	"sdk_disclosure":                             {TopicSDK, TopicNotice},
	"security_assessment":                        {TopicSecurity, TopicCrossBorder},
	"security_measures":                          {TopicSecurity},
	"self_inspection":                            {TopicSecurity},
	"sensitive_pi":                               {TopicSensitive},
	"sensitive_pi_definition":                    {TopicSensitive},
	"separate_consent":                           {TopicConsent},
	"separate_consent_sensitive_pi":              {TopicConsent, TopicSensitive},
	"shake_to_jump_ads":                          {TopicPopup, TopicAdvertising},
	"small_apps":                                 {TopicGeneral},
	"smart_terminal":                             {TopicTerminal},
	"social_responsibility_report":               {TopicDistribution},
	"special_rules":                              {TopicGeneral},
	"staff_confidentiality":                      {TopicSecurity},
	"staff_liability":                            {TopicLiability},
	"staff_training":                             {TopicSecurity},
	"standards":                                  {TopicGeneral},
	"state_duties":                               {TopicGeneral},
	"state_organ_liability":                      {TopicLiability},
	"state_organs":                               {TopicGeneral},
	"statistics_archives":                        {TopicGeneral},
	"supervisory_authority":                      {TopicSupervision},
	"suspension_of_app":                          {TopicLiability},
	"targeted_push":                              {TopicAdvertising},
	"terminal_manufacturer":                      {TopicTerminal},
	"third_party_data_subjects":                  {TopicThirdParty},
	"third_party_service_provider_sdk":           {TopicSDK},
	"third_party_sharing":                        {TopicThirdParty},
	"training":                                   {TopicSecurity},
	"transfer_merger":                            {TopicThirdParty},
	"uninstall":                                  {TopicDownload},
	"use_beyond_purpose":                         {TopicPurpose},
	"wakeup":                                     {TopicSelfStart},
	"warning":                                    {TopicLiability},
	"web_forced_download":                        {TopicDownload},
	"withdrawal_of_consent":                      {TopicConsent},
	"written_consent":                            {TopicConsent},
	// "purpose" in the files tags an article stating the purpose of the
	// instrument (Art. 1), not purpose limitation.
	"purpose": {TopicGeneral},
}

// supplementaryTopics tags articles whose file carries no topics (the 337
// notice and the 39-type table). Like the files' own tags they are catalog
// tags, chosen from the item titles; they are not legal text.
var supplementaryTopics = map[string][]Topic{
	"n337/1": {TopicConsent, TopicNotice},
	"n337/2": {TopicMinimumNecessity, TopicFrequency},
	"n337/3": {TopicThirdParty, TopicConsent},
	"n337/4": {TopicAdvertising},
	"n337/5": {TopicPermission, TopicRefusalOfService},
	"n337/6": {TopicPermission, TopicFrequency},
	"n337/7": {TopicPermission, TopicMinimumNecessity},
	"n337/8": {TopicCancellation},
}

// normaliseTopics maps raw tags onto the vocabulary, deduplicated and in
// vocabulary order. Unknown tags are returned separately.
func normaliseTopics(raw []string) (topics []Topic, unknown []string) {
	set := map[Topic]bool{}
	for _, r := range raw {
		if ValidTopic(r) {
			set[r] = true
			continue
		}
		m, ok := rawTopics[r]
		if !ok {
			unknown = append(unknown, r)
			continue
		}
		for _, t := range m {
			set[t] = true
		}
	}
	for _, t := range topicVocabulary {
		if set[t] {
			topics = append(topics, t)
		}
	}
	return topics, unknown
}
