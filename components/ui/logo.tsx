export function Logo({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight ${className}`}>
      <svg aria-hidden="true" viewBox="0 0 32 32" className="h-7 w-7">
        <rect width="32" height="32" rx="8" className="fill-brand-600" />
        <path d="M10 19.5c1.2 1.6 3.3 2.5 5.8 2.5 3.2 0 5.2-1.5 5.2-3.8 0-5-10.4-2.6-10.4-7.8C10.6 8.2 12.6 7 15.6 7c2.2 0 4 .7 5.2 2" fill="none" stroke="white" strokeWidth="2.4" strokeLinecap="round" />
      </svg>
      <span>Settle</span>
    </span>
  );
}
