import TunesmithCore

extension AccountChoice {
    /// Picks the account a create uses from the user's accounts (as read inside the create's transaction),
    /// or says why none can take it. Backend-independent, so every store answers the same rejection.
    ///
    /// A named account is checked in the order of the API: pending error (596), free slot (429), credits
    /// (412). For `.any`, a random account that passes all three; when none does, the most useful answer:
    /// 596 when every account is in error, 429 when some usable account has the credits but no free slot
    /// (retrying later will work), else 412.
    package func resolve(
        among accounts: [Account], maxJobsOverride: Int?, cost: Int,
        using generator: inout some RandomNumberGenerator
    ) throws(CreateRejection) -> Account {
        func limit(_ account: Account) -> Int { maxJobsOverride ?? account.maxJobs }
        func hasSlot(_ account: Account) -> Bool { account.executing < limit(account) }
        func canPay(_ account: Account) -> Bool { account.credits.map { $0 >= cost } ?? true }

        switch self {
        case .named(let email):
            guard let account = accounts.first(where: { $0.email == email }) else {
                throw .accountNotFound(email: email)
            }
            if account.error != nil { throw .accountInError(email: email) }
            if !hasSlot(account) { throw .accountBusy(email: email, maxJobs: limit(account)) }
            if !canPay(account) { throw .insufficientCredits }
            return account
        case .any:
            guard let first = accounts.first else { throw .accountNotFound(email: nil) }
            let usable = accounts.filter { $0.error == nil }
            if let account = usable.filter({ hasSlot($0) && canPay($0) }).randomElement(using: &generator) {
                return account
            }
            if usable.isEmpty { throw .accountInError(email: first.email) }
            if usable.contains(where: canPay) { throw .allAccountsBusy }
            throw .insufficientCredits
        }
    }
}
