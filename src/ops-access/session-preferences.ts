/**
 * Who owns the account's Session Manager preferences.
 *
 * Session Manager keeps one set of preferences per account and Region in the Session document
 * `SSM-SessionManagerRunShell` (KMS key for session data, session log destinations, idle timeout, maximum session
 * duration, Run As). Only one stack (or person) can own it, so the choice is explicit.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-default-session-document.html
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-schema.html
 */
export enum SessionPreferencesMode {
  /**
   * This construct creates `SSM-SessionManagerRunShell` as an `AWS::SSM::Document` with `UpdateMethod: NewVersion`
   * (so later changes add a version instead of a replacement, which a fixed name cannot have).
   *
   * The document must not exist yet: it is created the first time anyone saves preferences in the console or runs
   * the Session Manager quick setup, and CloudFormation then fails with `DocumentAlreadyExists`. Delete it first
   * (`aws ssm delete-document --name SSM-SessionManagerRunShell`) or choose `ACCOUNT_MANAGED`. Deleting the stack
   * deletes the document, which returns the account to the default preferences.
   *
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ssm-document.html
   */
  STACK_MANAGED = 'STACK_MANAGED',

  /**
   * This construct leaves `SSM-SessionManagerRunShell` alone. The stack output `SessionPreferencesContent` holds the
   * document content this construct's KMS key, log group and timeouts need; apply it with
   * `aws ssm update-document --name SSM-SessionManagerRunShell --document-version '$LATEST' --content file://…`
   * and `aws ssm update-document-default-version`, or set the same values in the console. Until then the account's
   * existing preferences apply, without this construct's KMS key, log group and timeouts.
   *
   * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-configure-preferences-cli.html
   */
  ACCOUNT_MANAGED = 'ACCOUNT_MANAGED',
}
